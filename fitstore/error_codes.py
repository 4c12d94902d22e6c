"""Error codes of the shared mechanisms, as clients read them in `errors { code }`."""
from enum import Enum


class FitstoreErrorCode(str, Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    ALREADY_REVOKED = "ALREADY_REVOKED"
    KEY_STATE = "KEY_STATE"
    TOO_EARLY = "TOO_EARLY"
