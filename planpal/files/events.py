"""The attachment part of other apps' event payloads (a chat message's `attachment`). It names
the upload and describes it; it never carries a URL: URLs are signed per reader and expire, and
event payloads are stored and replayed (a client asks `GET uploads/{id}` for fresh ones)."""

from pydantic import BaseModel, ConfigDict


class AttachmentData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    kind: str
    content_type: str
    name: str
    size: int
    width: int | None
    height: int | None

    @classmethod
    def of(cls, upload) -> "AttachmentData":
        return cls(
            id=upload.pk,
            kind=upload.kind,
            content_type=upload.content_type,
            name=upload.name,
            size=upload.size,
            width=upload.width,
            height=upload.height,
        )
