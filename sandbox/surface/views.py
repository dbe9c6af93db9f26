"""Safe stand-ins for native classes whose constructors reach raw memory.

``numpy.ndarray(shape, dtype, buffer=...)`` builds an array over any buffer, and with ``dtype=object`` over
any address: learner code gets ``NdarrayView`` instead, wherever it would meet the real class (as
``np.ndarray`` and from ``type()``). It answers ``isinstance`` and ``issubclass`` exactly like the real
class and builds arrays only without a buffer.
"""

from __future__ import annotations

from typing import Any

import numpy

from sandbox.policy.errors import deny

BUFFER = "np.ndarray(..., buffer=...) is not available here: it builds an array over raw memory; use np.array"


class _NdarrayMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, numpy.ndarray)

    def __subclasscheck__(cls, sub: type) -> bool:
        return sub is cls or issubclass(sub, numpy.ndarray)

    def __call__(cls, shape: Any, dtype: Any = float, buffer: Any = None, *args: Any, **kwargs: Any) -> Any:
        if (
            buffer is not None
            or args
            or set(kwargs) - {"strides", "order"}
            or kwargs.get("strides") is not None
        ):
            deny(BUFFER)
        return numpy.ndarray(shape, dtype, order=kwargs.get("order"))

    def __repr__(cls) -> str:
        return "<class 'numpy.ndarray'>"


class NdarrayView(metaclass=_NdarrayMeta):
    """``numpy.ndarray`` as learner code sees it."""


NdarrayView.__name__ = NdarrayView.__qualname__ = "ndarray"
NdarrayView.__module__ = "numpy"

SAFE_VIEWS: dict[type, type] = {numpy.ndarray: NdarrayView}
