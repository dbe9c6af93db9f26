"""The compile-time half of the language policy: RestrictedPython's transformer, tuned for tutorials."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from types import CodeType

from RestrictedPython.transformer import (
    FORBIDDEN_FUNC_NAMES,
    INSPECT_ATTRIBUTES,
    IOPERATOR_TO_STR,
    RestrictingNodeTransformer,
    copy_locations,
)

from sandbox.policy.errors import underscore_message
from sandbox.policy.imports import future_refusal, import_refusal
from sandbox.surface.names import name_set

# Method names a learner's class may define; their bodies are restricted code like any other.
ALLOWED_DUNDER_METHODS = name_set(
    """
    __init__ __len__ __getitem__ __setitem__ __delitem__ __call__ __repr__ __str__ __iter__ __next__
    __eq__ __ne__ __lt__ __le__ __gt__ __ge__ __hash__ __contains__ __enter__ __exit__ __bool__ __add__
    __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __matmul__ __neg__ __pos__
    __abs__
    """
)

READABLE_DUNDERS = name_set("__version__ __name__ __qualname__ __doc__ __module__")
"""Read-only attributes whose values are plain strings: the guard hands them out only as ``str``."""

DUNDER_GUARD = "_tt_dunder_"
"""Reads one of ``READABLE_DUNDERS`` (the guard checks the value is a plain string)."""

_NOTEBOOK_MAGICS = ("%matplotlib", "%config")

VALUE_NAME = "_tt_value"
"""Where the value of a trailing expression statement is stored (learner code cannot name it)."""

INIT_GUARD = "_tt_init_"
"""Guard that hands out ``Class.__init__`` for explicit base-class initialisation."""

WITH_GUARD = "_tt_with_"
"""Wraps a context manager so the value ``with ... as x`` binds is vetted."""

VET_GUARD = "_tt_vet_"
"""Vets the exception an ``except ... as e`` clause binds."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """One thing the policy refused while compiling, with its line."""

    line: int | None
    message: str


class CompileRefused(Exception):
    """The code compiled but uses something the policy refuses."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class TutorPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus the dunder methods, ``super()`` calls and imports tutorials need."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals: list[Refusal] = []
        self.scopes: list[str] = ["module"]

    def error(self, node: ast.AST, info: str) -> None:
        """Record a refusal with its line."""
        line = getattr(node, "lineno", None)
        self.refusals.append(Refusal(line, _reword(info)))
        super().error(node, info)

    def check_name(self, node: ast.AST, name: str | None, allow_magic_methods: bool = False) -> None:
        """Refuse ``_`` names, except allowed dunder methods in a class body and reading ``__name__``."""
        if name is None:
            return
        if allow_magic_methods and name in ALLOWED_DUNDER_METHODS and self.scopes[-1] == "class":
            return
        if name == "__name__" and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            return
        if name.startswith("_") and name != "_":
            self.error(node, underscore_message(name))
            return
        if name in FORBIDDEN_FUNC_NAMES:
            self.error(node, f"'{name}' is not allowed: the name is reserved by the sandbox")
            return
        super().check_name(node, name)  # type: ignore[arg-type]

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        """Compile a class through the class-building guard, keeping its line numbers."""
        self.scopes.append("class")
        try:
            new = super().visit_ClassDef(node)
        finally:
            self.scopes.pop()
        assert isinstance(new, ast.ClassDef)
        ast.copy_location(new, node)
        for keyword in new.keywords:
            for sub in ast.walk(keyword):
                ast.copy_location(sub, node)
        return new

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        """Compile a function; its body is not a class body any more."""
        self.check_name(node, node.name, allow_magic_methods=True)
        self.check_function_argument_names(node)
        self.scopes.append("function")
        try:
            with self.print_info.new_print_scope():
                node = self.node_contents_visit(node)
                self.inject_print_collector(node)
        finally:
            self.scopes.pop()
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        """Compile a lambda; like a function body, it is not a class body."""
        self.scopes.append("function")
        try:
            result = super().visit_Lambda(node)
        finally:
            self.scopes.pop()
        assert isinstance(result, ast.AST)
        return result

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        """Guard attribute access; allow ``super().__init__`` and ``Base.__init__``."""
        if node.attr in READABLE_DUNDERS and isinstance(node.ctx, ast.Load):
            read = _call(DUNDER_GUARD, self.visit(node.value), ast.Constant(node.attr))
            copy_locations(read, node)
            return read
        if node.attr.startswith("_") and node.attr != "_" and isinstance(node.ctx, ast.Load):
            if _is_super_call(node.value) and node.attr in ALLOWED_DUNDER_METHODS:
                node.value = self.visit(node.value)
                return node
            if node.attr == "__init__":
                guarded = ast.Call(
                    func=ast.Name(INIT_GUARD, ast.Load()), args=[self.visit(node.value)], keywords=[]
                )
                copy_locations(guarded, node)
                return guarded
        if node.attr.startswith("_") and node.attr != "_":
            node.value = self.visit(node.value)  # refusals inside come first, in reading order
            self.error(node, underscore_message(node.attr))
            return node
        if node.attr in INSPECT_ATTRIBUTES:
            node.value = self.visit(node.value)
            self.error(node, f"'{node.attr}' is not allowed: it exposes the interpreter's frames and code")
            return node
        result = super().visit_Attribute(node)
        assert isinstance(result, ast.AST)
        return result

    def visit_With(self, node: ast.With) -> ast.AST:
        """Vet the values ``with ... as x`` binds, like attribute access."""
        result = super().visit_With(node)
        assert isinstance(result, ast.With)
        for item in result.items:
            if item.optional_vars is not None:
                wrapped = _call(WITH_GUARD, item.context_expr)
                copy_locations(wrapped, item.context_expr)
                item.context_expr = wrapped
        return result

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.AST:
        """Vet the exception ``except ... as e`` binds, like attribute access."""
        result = super().visit_ExceptHandler(node)
        assert isinstance(result, ast.ExceptHandler)
        if result.name:
            vetted = ast.Assign(
                targets=[ast.Name(result.name, ast.Store())],
                value=_call(VET_GUARD, ast.Name(result.name, ast.Load())),
            )
            copy_locations(vetted, result)
            result.body.insert(0, vetted)
        return result

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST | list[ast.stmt]:
        """Support ``a.b += c`` and ``a[i] += c`` by reading and writing through the guards."""
        target = node.target
        if isinstance(target, ast.Name):
            result = super().visit_AugAssign(node)
            assert isinstance(result, ast.AST)
            return result
        op = IOPERATOR_TO_STR[type(node.op)]
        value = self.visit(node.value)
        holder = self.gen_tmp_name()
        statements: list[ast.stmt] = []
        if isinstance(target, ast.Attribute):
            if target.attr.startswith("_"):
                self.error(node, underscore_message(target.attr))
                return node
            statements.append(ast.Assign([ast.Name(holder, ast.Store())], self.visit(target.value)))
            current: ast.expr = _call("_getattr_", ast.Name(holder, ast.Load()), ast.Constant(target.attr))
            store: ast.expr = ast.Attribute(
                _call("_write_", ast.Name(holder, ast.Load())), target.attr, ast.Store()
            )
        else:
            assert isinstance(target, ast.Subscript)
            key = self.gen_tmp_name()
            statements.append(ast.Assign([ast.Name(holder, ast.Store())], self.visit(target.value)))
            statements.append(ast.Assign([ast.Name(key, ast.Store())], self.visit(target.slice)))
            current = _call("_getitem_", ast.Name(holder, ast.Load()), ast.Name(key, ast.Load()))
            store = ast.Subscript(
                _call("_write_", ast.Name(holder, ast.Load())), ast.Name(key, ast.Load()), ast.Store()
            )
        statements.append(ast.Assign([store], _call("_inplacevar_", ast.Constant(op), current, value)))
        for statement in statements:
            copy_locations(statement, node)
        return statements

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST | list[ast.stmt]:
        """Keep annotations in class bodies (dataclasses read them); elsewhere ``x: T = v`` is ``x = v``."""
        if self.scopes[-1] == "class" and isinstance(node.target, ast.Name):
            self.check_name(node.target, node.target.id)
            node.annotation = self.visit(node.annotation)
            if node.value is not None:
                node.value = self.visit(node.value)
            return node
        if node.value is None:
            replacement: ast.stmt = ast.Pass()
            copy_locations(replacement, node)
            return replacement
        assign = ast.Assign(targets=[node.target], value=node.value)
        copy_locations(assign, node)
        result = self.visit_Assign(assign)
        assert result is not None
        return result  # type: ignore[return-value]

    def visit_Import(self, node: ast.Import) -> ast.AST:
        """Allow imports of the allow-listed modules only."""
        for alias in node.names:
            refusal = import_refusal(alias.name)
            if refusal:
                self.error(node, refusal)
        result = super().visit_Import(node)
        assert isinstance(result, ast.AST)
        return result

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        """Allow ``from`` imports of the allow-listed modules and harmless ``__future__`` features."""
        module = node.module or ""
        if module == "__future__":
            refusal = future_refusal([alias.name for alias in node.names])
        else:
            refusal = import_refusal(module, node.level)
        if refusal:
            self.error(node, refusal)
        result = super().visit_ImportFrom(node)
        assert isinstance(result, ast.AST)
        return result

    def visit_Module(self, node: ast.Module) -> ast.AST:
        """Transform the module and keep the value of a trailing expression, like a REPL."""
        result = super().visit_Module(node)
        assert isinstance(result, ast.Module)
        if result.body and isinstance(result.body[-1], ast.Expr):
            last = result.body[-1]
            assert isinstance(last, ast.Expr)
            keep = ast.Assign(targets=[ast.Name(VALUE_NAME, ast.Store())], value=last.value)
            copy_locations(keep, last)
            result.body[-1] = keep
        return result


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])


def _is_super_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


_REWORDINGS = {
    "Exec calls are not allowed.": "exec() is not allowed: it runs code outside the policy",
    "Eval calls are not allowed.": "eval() is not allowed: it runs code outside the policy",
    "TryStar statements are not allowed.": "'except*' is not allowed: exception groups can escape the policy",
    "Nonlocal statements are not allowed.": "'nonlocal' is not allowed here",
    "AsyncFunctionDef statements are not allowed.": "'async def' is not allowed here",
}


def _reword(info: str) -> str:
    return _REWORDINGS.get(info, info)


def _without_notebook_magics(source: str) -> str:
    """Blank out notebook magics handbook cells start with (``%matplotlib inline``): figures come anyway."""
    if "%" not in source:
        return source
    lines = source.split("\n")
    for index, line in enumerate(lines):
        if line.startswith(_NOTEBOOK_MAGICS):
            lines[index] = ""
    return "\n".join(lines)


def compile_restricted_snippet(source: str, filename: str) -> CodeType:
    """Compile learner code under the policy; raise SyntaxError, RecursionError or CompileRefused."""
    tree = ast.parse(_without_notebook_magics(source), filename, "exec")
    policy = TutorPolicy()
    tree = policy.visit(tree)
    if policy.refusals:
        raise CompileRefused(policy.refusals[0])
    return compile(tree, filename, "exec", dont_inherit=True)
