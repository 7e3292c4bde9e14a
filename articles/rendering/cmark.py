"""cmark-gfm's Markdown to HTML, without the memory cmarkgfm's own wrapper never gives back.

cmarkgfm 2025.10.22's markdown_to_html_with_extensions frees its parser but neither the
document tree the parser hands over (cmark_parser_finish: the caller frees it) nor the HTML
string cmark_render_html allocates: about 8 KB a call for an article, so a worker importing
10,000 articles grew by a hundred megabytes. Here both are freed. cmarkgfm's cffi module does
not expose cmark_node_free or free, so they are called through ctypes on the same library
(cmark_node_free from its exported symbols; the string with the C library's free, which is
what cmark's default allocator uses).
"""

from __future__ import annotations

import ctypes

from cmarkgfm import _cmark
from cmarkgfm.cmark import core_extensions_ensure_registered

_ffi, _lib = _cmark.ffi, _cmark.lib
_library = ctypes.CDLL(_cmark.__file__)
_node_free = _library.cmark_node_free
_node_free.argtypes = [ctypes.c_void_p]
_node_free.restype = None
_free = ctypes.CDLL(None).free
_free.argtypes = [ctypes.c_void_p]
_free.restype = None


def _address(pointer) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


def markdown_to_html(source: str, *, options: int, extensions: list[str]) -> str:
    """Render `source` with these cmark options and syntax extensions, freeing all it made."""
    core_extensions_ensure_registered()
    found = [_lib.cmark_find_syntax_extension(name.encode()) for name in extensions]
    if any(extension == _ffi.NULL for extension in found):
        raise ValueError(f"unknown cmark extension in {extensions}")
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in found:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        encoded = source.encode("utf-8")
        _lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = _lib.cmark_parser_finish(parser)
        try:
            raw = _lib.cmark_render_html(
                root, options, _lib.cmark_parser_get_syntax_extensions(parser)
            )
            try:
                return _ffi.string(raw).decode("utf-8")
            finally:
                _free(_address(raw))
        finally:
            _node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)
