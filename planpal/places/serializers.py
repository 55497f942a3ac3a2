"""Place search input and output."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from planpal.core.serializers import StrictCharField
from planpal.places.geocoder import Near


class NearField(serializers.CharField):
    """`lat,lng` in degrees, e.g. `38.7223,-9.1393`."""

    # A CharField for its string checks, whose value is then parsed: not a `str` any more.
    def to_internal_value(self, data) -> Near:  # type: ignore[override]
        text = super().to_internal_value(data)
        parts = text.split(",")
        if len(text) > 60 or len(parts) != 2:
            raise serializers.ValidationError(_("Use lat,lng (for example 38.7223,-9.1393)."))
        lat = serializers.DecimalField(
            max_digits=12, decimal_places=8, min_value=-90, max_value=90
        ).run_validation(parts[0].strip())
        lng = serializers.DecimalField(
            max_digits=12, decimal_places=8, min_value=-180, max_value=180
        ).run_validation(parts[1].strip())
        return Near(lat=lat, lng=lng)


class PlaceSearchInputSerializer(serializers.Serializer):
    q = StrictCharField(min_length=2, max_length=200, help_text="What to look for.")
    near = NearField(required=False, help_text="lat,lng: favour places around this point.")
    limit = serializers.IntegerField(min_value=1, max_value=10, default=5)


class PlaceSerializer(serializers.Serializer):
    location_name = serializers.CharField(read_only=True)
    location_address = serializers.CharField(read_only=True)
    lat = serializers.CharField(
        read_only=True, help_text="Degrees, 6 decimals, as activities store them."
    )
    lng = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True)


class PlaceSearchOutputSerializer(serializers.Serializer):
    results = PlaceSerializer(many=True)
    attribution = serializers.CharField(
        read_only=True, help_text="The data's licence: show it with the results."
    )
