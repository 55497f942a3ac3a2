"""Currencies a ledger may use and exact money in them: every amount is a Decimal with exactly
its currency's minor unit (VND 0 decimals, USD 2), and every computation on amounts is done in
integer minor units (`to_units` / `from_units`), so nothing is lost to binary floats."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from planpal.core.exceptions import InvalidInput

# ISO 4217 code → decimals of its minor unit. A small table on purpose: a code outside it is a
# typo more often than a currency someone travels with (docs/money.md §1).
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(("VND", "JPY", "KRW", "IDR"), 0),
    **dict.fromkeys(
        (
            "USD", "EUR", "GBP", "AUD", "CAD", "CHF", "CNY", "HKD",
            "SGD", "THB", "MYR", "PHP", "NZD", "INR", "TWD",
        ),
        2,
    ),
}  # fmt: skip
DEFAULT_CURRENCY = "VND"
MAX_WHOLE_DIGITS = 12  # 999,999,999,999: a trip's ledger, not a national budget
RATE_DECIMALS = 8
MAX_RATE_WHOLE_DIGITS = 10
# The plan-currency columns hold 16 digits with 2 decimals: a converted amount must fit in them.
MAX_CONVERTED_WHOLE_DIGITS = 14


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("Some fields are invalid."), fields={field: [message]})


def check_currency(code: str, *, field: str = "currency") -> str:
    if code not in MINOR_UNITS:
        known = ", ".join(sorted(MINOR_UNITS))
        raise _fail(
            field,
            _("Unknown currency %(code)r; one of %(known)s.") % {"code": code, "known": known},
        )
    return code


def decimals_of(code: str) -> int:
    return MINOR_UNITS[code]


def quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[code])


def parse_amount(raw: str | Decimal, code: str, *, field: str = "amount") -> Decimal:
    """A positive amount with at most the currency's decimals, else a 400 naming `field`
    (nothing is rounded silently)."""
    try:
        value = Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        raise _fail(field, _('A decimal string is expected, e.g. "12.50".')) from None
    if not value.is_finite() or value <= 0:
        raise _fail(field, _("Must be a positive amount."))
    # Bounds before normalize(): "1e1000000" would overflow it and "1e-1000000" underflow to 0.
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        raise _fail(
            field,
            _("At most %(max_whole_digits)s digits before the point.")
            % {"max_whole_digits": MAX_WHOLE_DIGITS},
        )
    if value.adjusted() < -MINOR_UNITS[code] or -_exponent(value) > MINOR_UNITS[code]:
        raise _fail(
            field,
            _("%(code)s has %(value)s decimals at most.")
            % {"code": code, "value": MINOR_UNITS[code]},
        )
    return value.quantize(quantum(code))


def _exponent(value: Decimal) -> int:
    """The exponent of `value` without trailing zeros (a finite value within the bounds)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    return exponent


def parse_rate(raw: str | Decimal, *, field: str = "rate") -> Decimal:
    try:
        value = Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        raise _fail(field, _('A decimal string is expected, e.g. "25400".')) from None
    if not value.is_finite() or value <= 0:
        raise _fail(field, _("Must be a positive rate."))
    if (
        value.adjusted() >= MAX_RATE_WHOLE_DIGITS
        or value.adjusted() < -RATE_DECIMALS
        or -_exponent(value) > RATE_DECIMALS
    ):
        raise _fail(
            field,
            _("At most %(max_rate_whole_digits)s digits and %(rate_decimals)s decimals.")
            % {"max_rate_whole_digits": MAX_RATE_WHOLE_DIGITS, "rate_decimals": RATE_DECIMALS},
        )
    return value.quantize(Decimal(1).scaleb(-RATE_DECIMALS))


def convert(amount: Decimal, rate: Decimal, code: str) -> Decimal:
    """amount x rate in the currency `code`, rounded once, half up, to its minor unit."""
    return (amount * rate).quantize(quantum(code), rounding=ROUND_HALF_UP)


def to_units(amount: Decimal, code: str) -> int:
    return int(amount.scaleb(MINOR_UNITS[code]).to_integral_value())


def from_units(units: int, code: str) -> Decimal:
    return Decimal(units).scaleb(-MINOR_UNITS[code]).quantize(quantum(code))


def show(amount: Decimal | None, code: str) -> str | None:
    """The string form of an amount: exactly the currency's decimals ("12.50", "120000")."""
    if amount is None:
        return None
    return str(Decimal(amount).quantize(quantum(code)))
