"""The templates a new list can start from (a personal packing list usually does)."""

TEMPLATES: dict[str, tuple[str, list[str]]] = {
    "packing": (
        "Packing",
        ["Passport or ID", "Phone charger", "Toothbrush", "Clothes", "Medicines", "Wallet"],
    ),
    "beach": ("Beach bag", ["Swimsuit", "Sunscreen", "Towel", "Sunglasses", "Hat", "Water"]),
    "hiking": (
        "Hiking gear",
        ["Boots", "Rain jacket", "Water bottle", "Snacks", "Map", "First-aid kit", "Head torch"],
    ),
    "todo": ("To-dos", ["Book the stay", "Buy tickets", "Share the itinerary"]),
}
