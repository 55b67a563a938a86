"""Serve exactly the vendor files the portal uses from node_modules (not whole package folders).

They appear under /static/vendor/<path inside node_modules>. Icons are not here: the `icon` template
tag inlines the few bootstrap-icons SVGs the pages use, so no 134 KB icon font is downloaded.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
VENDOR_FILES = [
    "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    # The unit picker (loaded by static/js/unit-picker.js only on pages that have one).
    "tom-select/dist/js/tom-select.complete.min.js",
    "tom-select/dist/js/tom-select.complete.min.js.map",
    "tom-select/dist/css/tom-select.bootstrap5.min.css",
    "tom-select/dist/css/tom-select.bootstrap5.min.css.map",
]


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.root = Path(settings.BASE_DIR) / "node_modules"
        self.storage = FileSystemStorage(location=str(self.root))
        self.storage.prefix = PREFIX
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        missing = [name for name in VENDOR_FILES if not (self.root / name).exists()]
        if missing:
            return [Error("Thiếu tệp giao diện trong node_modules: " + ", ".join(missing) + " (chạy `npm ci`).",
                          id="portal.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        name = path.removeprefix(PREFIX + "/") if path.startswith(PREFIX + "/") else None
        if name in VENDOR_FILES and (self.root / name).exists():
            match = str(self.root / name)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in VENDOR_FILES:
            if (self.root / name).exists():
                yield name, self.storage
