"""Development profile: the embedded defaults, DEBUG on. What ``make run`` uses."""

from .base import *  # noqa: F403
from .environment import env_bool

DEBUG = env_bool("DEBUG", True)
