"""The password hash: Argon2id sized for a server that checks a password at every signature.

Every 签收 asks for the employee's password again (the signature's proof of who signed), so a
company-wide rule published at 9:00 means thousands of password checks within the hour, on
the same servers that serve the reading pages. Django's default Argon2 parameters (100 MiB,
2 passes, 8 lanes) cost ~0.27 s of CPU per check and take every core of a 2-core server for
~0.17 s, which stalls the pages of everyone else (``make load``).

OWASP's Password Storage Cheat Sheet gives equally strong Argon2id settings that trade memory
for passes; its first, 19 MiB, 2 passes, 1 lane, costs ~0.03 s of one core here. Online
guessing is limited by the sign-in lock (django-axes, zhidu.security); these parameters set
the cost of an offline attack on a stolen database.

Hashes made with other parameters keep verifying and are re-made with these at the user's
next sign-in (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting: m = 19 MiB, t = 2, p = 1."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
