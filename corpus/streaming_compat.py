"""Import mosaicml-streaming where torchvision's compiled ops are missing.

``streaming`` imports ``torchvision`` (for its vision datasets). The PyPI torchvision wheel is
built against CUDA torch; beside the CPU torch build its ``_C`` extension does not load, and
``torchvision._meta_registrations`` then fails with ``operator torchvision::nms does not exist``
while registering fake kernels for ops that were never loaded. Only in that case we import
torchvision without those registrations (there is nothing for them to describe) and retry.
Every module that needs ``streaming`` imports it through `import_streaming`.
"""

from __future__ import annotations

import sys
import types
from functools import cache
from types import ModuleType

_META = "torchvision._meta_registrations"


@cache
def import_streaming() -> ModuleType:
    try:
        import streaming
    except RuntimeError as err:
        if "torchvision::" not in str(err):
            raise
        for name in [
            m for m in sys.modules if m == "torchvision" or m.startswith(("torchvision.", "streaming"))
        ]:
            del sys.modules[name]
        sys.modules[_META] = types.ModuleType(_META)
        import streaming
    return streaming
