"""Error codes of the store, as clients read them in `errors { code }`."""
from enum import Enum


class StoreErrorCode(str, Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
