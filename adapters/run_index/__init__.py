"""The file-backed local run index: a JSON file written atomically under a file lock."""

from trackwright.adapters.run_index.file_index import FileRunIndex, default_index_path

__all__ = ["FileRunIndex", "default_index_path"]
