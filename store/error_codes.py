"""Error codes of the store, as clients read them in `errors { code }`."""
from enum import Enum


class StoreErrorCode(str, Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    COMPUTED = "COMPUTED"
    # Repositories and releases (store.repositories, publish_release)
    URL_NOT_ALLOWED = "URL_NOT_ALLOWED"
    FETCH_FAILED = "FETCH_FAILED"
    TOO_LARGE = "TOO_LARGE"
    INVALID_TAG = "INVALID_TAG"
    NOT_SEMVER = "NOT_SEMVER"
    INVALID_PUBLICCODE = "INVALID_PUBLICCODE"
    INVALID_LICENSE = "INVALID_LICENSE"
    NO_REPOSITORY = "NO_REPOSITORY"
