"""Records models, one small module per concern; import them from here."""

from .organisation import Department, Employee, Position

__all__ = ["Department", "Employee", "Position"]
