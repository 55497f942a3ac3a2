"""Times as the people of a plan read them: in the plan's time zone, naming the zone (a text that
says "17:35 UTC" for a plan starting at 00:35 in Ho Chi Minh City is wrong for everyone there)."""

from datetime import datetime

from django.utils.dateformat import format as date_format
from django.utils.functional import lazy

from planpal.core.validation import is_timezone, zone


def local_time(moment: datetime, zone_name: str) -> str:
    """ "Sat 28 Nov 2026, 00:35 (Asia/Ho_Chi_Minh, UTC+07:00)"; UTC for a name that is no zone."""
    name = zone_name if is_timezone(zone_name) else "UTC"
    local = moment.astimezone(zone(name))
    offset = local.strftime("%z")
    utc = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:5]}"
    where = name if name == utc else f"{name}, {utc}"
    # Day and month names in the active language ("T7 28 Th11 2026" in Vietnamese).
    return f"{date_format(local, 'D d M Y, H:i')} ({where})"


# For notices: written when the recipient's language is active (planpal.core.i18n).
local_time_lazy = lazy(local_time, str)
