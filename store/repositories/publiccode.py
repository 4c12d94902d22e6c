"""A tag's publiccode.yml as data, parsed safely: size-capped, no YAML aliases, a mapping at the
top, dates as ISO 8601 (what store.publiccode then validates)."""
import yaml
from django.utils.translation import gettext_lazy as _

from fitstore.errors import field_error

from ..error_codes import StoreErrorCode
from . import limits


def parse_publiccode(data: bytes) -> dict:
    """publiccode.yml as data, parsed safely: size-capped, no aliases, a mapping at the top.
    ValidationError on "tag" (code INVALID_PUBLICCODE) otherwise."""
    limit = int(limits.value("PUBLICCODE_MAX_BYTES"))
    if len(data) > limit:
        raise field_error("tag", _("The tag's publiccode.yml is larger than %(limit)s bytes."), StoreErrorCode.TOO_LARGE,
                          limit=limit)
    try:
        text = data.decode("utf-8")
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise field_error("tag", _("The tag's publiccode.yml uses YAML aliases, which the store refuses."),
                                  StoreErrorCode.INVALID_PUBLICCODE)
        parsed = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise field_error("tag", _("The tag's publiccode.yml is not valid UTF-8."),
                          StoreErrorCode.INVALID_PUBLICCODE) from None
    except yaml.YAMLError as error:
        raise field_error("tag", _("The tag's publiccode.yml is not valid YAML: %(reason)s"),
                          StoreErrorCode.INVALID_PUBLICCODE, reason=str(error)[:200]) from None
    if not isinstance(parsed, dict):
        raise field_error("tag", _("The tag's publiccode.yml is not a mapping."), StoreErrorCode.INVALID_PUBLICCODE)
    return _json_safe(parsed)


def _json_safe(value):
    """YAML's dates and other scalars as JSON values (dates in ISO 8601)."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value
