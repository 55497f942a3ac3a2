"""The upload store's STORAGES entry from the environment's values (read by config/settings.py;
no Django imports here, so settings can use it)."""

from urllib.parse import parse_qs, unquote, urlsplit


def storage_config(*, storage_url: str, aws: dict[str, str], data_dir, url_ttl: int) -> dict:
    """The STORAGES entry of the upload store. `storage_url` wins; then `aws` (the AWS_* values,
    S3 when a bucket is named); else the local directory `<data_dir>/uploads`.

    STORAGE_URL forms: `s3://[ACCESS_KEY:SECRET@]bucket[/prefix]?endpoint_url=…&region=…
    &addressing_style=path|virtual` and `file:///absolute/path`."""
    if storage_url:
        parts = urlsplit(storage_url)
        if parts.scheme == "file":
            return _local(unquote(parts.path))
        if parts.scheme != "s3" or not parts.hostname:
            raise ValueError("STORAGE_URL must be s3://bucket[/prefix]?… or file:///path")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return _s3(
            bucket=parts.hostname,
            prefix=parts.path.strip("/"),
            access_key=unquote(parts.username or ""),
            secret_key=unquote(parts.password or ""),
            endpoint_url=query.get("endpoint_url", ""),
            region=query.get("region", ""),
            addressing_style=query.get("addressing_style", ""),
            url_ttl=url_ttl,
        )
    if aws.get("AWS_STORAGE_BUCKET_NAME"):
        return _s3(
            bucket=aws["AWS_STORAGE_BUCKET_NAME"],
            prefix=aws.get("AWS_LOCATION", ""),
            access_key=aws.get("AWS_ACCESS_KEY_ID", ""),
            secret_key=aws.get("AWS_SECRET_ACCESS_KEY", ""),
            endpoint_url=aws.get("AWS_S3_ENDPOINT_URL", ""),
            region=aws.get("AWS_S3_REGION_NAME", ""),
            addressing_style=aws.get("AWS_S3_ADDRESSING_STYLE", ""),
            url_ttl=url_ttl,
        )
    return _local(str(data_dir / "uploads"))


def _local(location: str) -> dict:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: files are reached through signed_url only, never by a plain path.
        "OPTIONS": {"location": location, "base_url": None},
    }


def _s3(
    *, bucket, prefix, access_key, secret_key, endpoint_url, region, addressing_style, url_ttl
) -> dict:
    options = {
        "bucket_name": bucket,
        "location": prefix,
        "default_acl": None,  # the bucket's own (private) policy; never public-read
        "querystring_auth": True,
        "querystring_expire": url_ttl,
        "file_overwrite": True,  # keys are random: no existence check before each write
        "signature_version": "s3v4",
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
        # S3-compatible stores (MinIO, Ceph, moto, R2…) answer path-style URLs everywhere.
        options["addressing_style"] = addressing_style or "path"
    elif addressing_style:
        options["addressing_style"] = addressing_style
    if region:
        options["region_name"] = region
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def csp_origins(config: dict) -> list[str]:
    """Origins a page must allow as img-src to show images from this store (S3 redirects
    there); the local store serves from PlanPal's own origin."""
    options = config["OPTIONS"]
    if "bucket_name" not in options:
        return []
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        if options.get("addressing_style") == "virtual":
            return [f"{endpoint.scheme}://{options['bucket_name']}.{endpoint.netloc}"]
        return [f"{endpoint.scheme}://{endpoint.netloc}"]
    bucket = options["bucket_name"]
    region = options.get("region_name")
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins
