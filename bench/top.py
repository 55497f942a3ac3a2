"""`python -m bench.top FILE [N]`: the functions with the most samples in a py-spy collapsed
stack file (`--profile`), self time and inclusive time."""

import sys
from collections import Counter


def main() -> None:
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    with open(path) as handle:
        for line in handle:
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            frames = stack.split(";")
            own[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
    print(f"{total} samples")
    print("-- self")
    for frame, n in own.most_common(limit):
        print(f"{100 * n / total:5.1f}%  {frame}")
    print("-- inclusive")
    for frame, n in inclusive.most_common(limit):
        print(f"{100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
