"""Which modules learner code may import, and why any other import is refused."""

from __future__ import annotations

from sandbox.surface import reasons
from sandbox.surface.names import name_set, name_tuple

STDLIB = name_tuple(
    "copy time functools operator string statistics typing dataclasses enum re json datetime io"
)
IMPORTABLE = frozenset(
    {
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.nn.init",
        "torch.nn.utils",
        "torch.nn.utils.rnn",
        "torch.optim",
        "torch.optim.lr_scheduler",
        "torch.autograd",
        "torch.autograd.functional",
        "torch.autograd.function",
        "torch.nn.parameter",
        "torch.optim.optimizer",
        "torch.utils",
        "torch.utils.data",
        "torch.utils.data.dataset",
        "torch.utils.data.dataloader",
        "torch.utils.data.sampler",
        "torch.utils.checkpoint",
        "torch.linalg",
        "torch.fft",
        "torch.special",
        "torch.distributions",
        "numpy",
        "numpy.random",
        "numpy.linalg",
        "numpy.fft",
        "math",
        "random",
        "itertools",
        "collections",
        "collections.abc",
        *STDLIB,
        "matplotlib",
        "matplotlib.pyplot",
        "matplotlib.colors",
        "matplotlib.cm",
    }
)

FUTURE_FEATURES = name_set(
    """
    print_function division absolute_import unicode_literals generators nested_scopes with_statement
    annotations
    """
)

ALLOWED_TEXT = (
    "only torch, numpy, matplotlib and the standard modules math, random, itertools, collections, "
    + ", ".join(STDLIB)
    + " can be imported"
)
TORCHVISION = (
    "torchvision's compiled ops do not match the CPU build of torch here. The lessons build their small "
    "models and data in plain torch: images as tensors (torch.rand(8, 1, 28, 28)), datasets with "
    "torch.utils.data.TensorDataset and DataLoader, and layers from torch.nn (nn.Conv2d, nn.Linear)"
)
HINTS = {
    "torchvision": TORCHVISION,
    "os": "the sandbox has no files, environment or processes",
    "sys": "it reaches the interpreter's internals; print() writes the output",
    "pathlib": "the sandbox has no files",
    "pickle": "unpickling runs arbitrary code; use copy.deepcopy to duplicate objects",
    "tqdm": "it is not installed; print the progress yourself, e.g. every 100 steps",
    "pandas": "it is not installed; use numpy arrays or torch tensors",
    "sklearn": "it is not installed; the lessons build models in torch and data with torch.rand/randn",
    "PIL": "it is not installed; images are tensors here (torch.rand(3, 32, 32)) and matplotlib shows them",
    "seaborn": "it is not installed; use matplotlib.pyplot",
    "IPython": "the sandbox is not a notebook kernel; the last expression's value is shown anyway",
}


def import_refusal(module: str, level: int = 0) -> str | None:
    """Return why importing ``module`` is refused, or None when it is allowed."""
    if level:
        return "relative imports are not allowed: there is no package here"
    if module in IMPORTABLE or module == "__future__":
        return None
    parts = module.split(".")
    reason: str | None = None
    if parts[0] == "torch" and len(parts) >= 2:
        if parts[1] == "utils" and len(parts) >= 3:
            reason = reasons.TORCH_UTILS.get(parts[2])
        elif parts[1] == "autograd" and len(parts) >= 3:
            reason = reasons.TORCH_AUTOGRAD.get(parts[2])
        else:
            reason = reasons.TORCH.get(parts[1])
    elif parts[0] == "numpy" and len(parts) >= 2:
        reason = reasons.NUMPY.get(parts[1])
    elif parts[0] == "matplotlib" and len(parts) >= 2:
        reason = reasons.MATPLOTLIB.get(parts[1])
    elif parts[0] in HINTS:
        reason = HINTS[parts[0]]
    if reason:
        return f"import of '{module}' is not allowed: {reason}"
    return f"import of '{module}' is not allowed: {ALLOWED_TEXT}"


def future_refusal(names: list[str]) -> str | None:
    """Return why a ``from __future__ import`` is refused, or None when every feature is allowed."""
    for name in names:
        if name not in FUTURE_FEATURES:
            return f"'from __future__ import {name}' is not allowed here"
    return None
