"""Streaming archives to and from S3 in constant memory: a multipart upload as a writable
stream, an object as a seekable stream of ranged GETs, and a reader that hashes as it goes."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from botocore.exceptions import ClientError

from control_plane.core.log import logger

PART_SIZE = 16 * 1024 * 1024  # S3 multipart part (10,000 parts: archives up to 160 GB)
READ_BLOCK = 8 * 1024 * 1024  # ranged GET size when reading an archive from S3


class MultipartWriter(io.RawIOBase):
    """A write-only, non-seekable stream into one S3 object by multipart upload: at most one
    part is held in memory. Use as a context manager: completes on success, aborts on error."""

    def __init__(self, client: Any, bucket: str, key: str, *, content_type: str, tagging: str) -> None:
        super().__init__()
        self.client, self.bucket, self.key = client, bucket, key
        self.buffer = bytearray()
        self.parts: list[dict[str, Any]] = []
        self.size = 0
        self.max_buffered = 0
        self.digest = hashlib.sha256()
        self.upload_id: str = client.create_multipart_upload(
            Bucket=bucket, Key=key, ContentType=content_type, Tagging=tagging
        )["UploadId"]

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.size

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.buffer += view
        self.digest.update(view)
        self.size += len(view)
        self.max_buffered = max(self.max_buffered, len(self.buffer))
        if len(self.buffer) >= PART_SIZE:  # parts may differ in size; all but the last >= 5 MiB
            body = bytes(self.buffer)
            self.buffer = bytearray()  # one copy of the part at a time, not two
            self._upload(body)
        return len(view)

    def _upload(self, body: bytes) -> None:
        number = len(self.parts) + 1
        resp = self.client.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=body
        )
        self.parts.append({"PartNumber": number, "ETag": resp["ETag"]})

    def complete(self) -> None:
        if self.buffer or not self.parts:
            self._upload(bytes(self.buffer))
            self.buffer.clear()
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": self.parts}
        )

    def abort(self) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id)
        except ClientError:  # the bucket's lifecycle rule aborts leftovers after 7 days
            logger.exception("multipart abort failed")

    def __enter__(self) -> MultipartWriter:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.complete()
        else:
            self.abort()


class S3Reader(io.RawIOBase):
    """A seekable read-only view of one S3 object through ranged GETs, one block cached:
    zipfile reads the central directory at the end, then each member in order."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self.pos = 0
        self.block = b""
        self.block_start = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, n: int | None = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        out = bytearray()
        while self.pos < end:
            if not self.block_start <= self.pos < self.block_start + len(self.block):
                last = min(self.size, self.pos + max(READ_BLOCK, end - self.pos)) - 1
                resp = self.client.get_object(Bucket=self.bucket, Key=self.key, Range=f"bytes={self.pos}-{last}")
                self.block, self.block_start = resp["Body"].read(), self.pos
                if not self.block:
                    break
            offset = self.pos - self.block_start
            take = self.block[offset : offset + (end - self.pos)]
            out += take
            self.pos += len(take)
        return bytes(out)

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


class HashingReader(io.RawIOBase):
    """Reads ``src`` through, counting the bytes and their SHA-256."""

    def __init__(self, src: Any) -> None:
        super().__init__()
        self.src = src
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        data: bytes = self.src.read(-1 if n is None else n)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)
