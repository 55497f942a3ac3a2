"""Pure arithmetic of the ledger, in integer minor units: splitting an amount by weights with a
deterministic remainder, and the greedy settle-up. No database here (property-tested)."""

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction


def distribute(total: int, weights: Mapping[int, int | Decimal]) -> dict[int, int]:
    """Split `total` minor units among user ids in proportion to `weights` (largest remainder):
    each gets floor(total * w / sum of w); the units left over go one each to the largest fractional
    remainders, ties to the lower user id. The result sums exactly to `total`."""
    exact = {user: Fraction(str(weight)) for user, weight in weights.items()}
    whole = sum(exact.values(), Fraction(0))
    if whole <= 0:
        raise ValueError("weights must sum to a positive number")
    shares: dict[int, int] = {}
    remainders: list[tuple[Fraction, int]] = []
    for user in sorted(exact):
        portion = total * exact[user] / whole
        floor = portion.numerator // portion.denominator
        shares[user] = floor
        remainders.append((portion - floor, user))
    left = total - sum(shares.values())
    # Largest remainder first; equal remainders: the lower user id first.
    for _, user in sorted(remainders, key=lambda item: (-item[0], item[1]))[:left]:
        shares[user] += 1
    return shares


def settle_up(nets: Mapping[int, int]) -> list[tuple[int, int, int]]:
    """(from_user, to_user, units) transfers that bring every net to zero. Greedy: the largest
    debtor pays the largest creditor the smaller of the two (ties: lower user id first). Each
    transfer zeroes at least one side, so n non-zero nets need at most n - 1 transfers."""
    if sum(nets.values()) != 0:
        raise ValueError("nets must sum to zero")
    owed = {user: net for user, net in nets.items() if net > 0}
    owing = {user: -net for user, net in nets.items() if net < 0}
    transfers: list[tuple[int, int, int]] = []
    while owing:
        debtor = min(owing, key=lambda user: (-owing[user], user))
        creditor = min(owed, key=lambda user: (-owed[user], user))
        amount = min(owing[debtor], owed[creditor])
        transfers.append((debtor, creditor, amount))
        for side, user in ((owing, debtor), (owed, creditor)):
            side[user] -= amount
            if side[user] == 0:
                del side[user]
    return transfers
