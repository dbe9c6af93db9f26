"""``matplotlib`` and ``matplotlib.pyplot`` as learner code sees them: drawing yes, files and backends no.

Figures reach the learner as pictures in the run's result (``sandbox.figures``): ``plt.show()`` hands them
over, ``savefig`` writes only into an ``io.BytesIO``, ``rcParams`` is a view that refuses the settings
which would start programs (LaTeX) or touch files, and ``style.use`` takes only the built-in styles.
"""

from __future__ import annotations

import copy
import io
import types
from collections.abc import Iterator, MutableMapping
from typing import Any, cast

from sandbox import figures
from sandbox.policy.errors import deny
from sandbox.surface import reasons, views
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, Rule, is_absent, namespace, register_internal_type

PYPLOT = name_set(
    """
    figure subplots subplot subplot2grid subplot_mosaic subplots_adjust gca gcf sca cla clf close
    get_fignums fignum_exists plot scatter bar barh bar_label hist hist2d imshow matshow pcolor
    pcolormesh contour contourf clabel colorbar clim errorbar fill fill_between fill_betweenx step stairs
    stem pie boxplot violinplot hexbin quiver streamplot stackplot eventplot axhline axvline axhspan
    axvspan axline hlines vlines loglog semilogx semilogy polar title suptitle xlabel ylabel xlim ylim
    xscale yscale xticks yticks tick_params ticklabel_format minorticks_on minorticks_off legend grid
    axis text annotate figtext figlegend margins autoscale tight_layout twinx twiny setp getp table
    get_cmap set_cmap colormaps color_sequences cm Normalize Colormap Figure Axes Line2D Rectangle Circle
    Polygon Text Annotation GridSpec MaxNLocator MultipleLocator FuncFormatter FormatStrFormatter
    ScalarFormatter NullFormatter NullLocator FixedLocator FixedFormatter LogLocator figaspect gray jet
    viridis plasma inferno magma hot cool bone copper spring summer autumn winter hsv pink flag prism
    nipy_spectral xkcd ioff ion isinteractive draw rcdefaults get_backend cycler ecdf spy
    """
)
FILES = reasons.FILES + "; the sandbox returns your figures as pictures"
INTERACTIVE = "there is no screen or mouse here; plt.show() returns your figures as pictures"
PYPLOT_REFUSED = {
    "imread": FILES,
    "imsave": FILES,
    "figimage": FILES,
    "switch_backend": "the sandbox draws with the Agg backend only; figures come back as pictures",
    "new_figure_manager": INTERACTIVE,
    "get_current_fig_manager": INTERACTIVE,
    "ginput": INTERACTIVE,
    "waitforbuttonpress": INTERACTIVE,
    "pause": INTERACTIVE,
    "connect": INTERACTIVE,
    "disconnect": INTERACTIVE,
    "subplot_tool": INTERACTIVE,
    "install_repl_displayhook": INTERACTIVE,
    "uninstall_repl_displayhook": INTERACTIVE,
    "set_loglevel": reasons.GLOBAL_STATE,
    "rcParamsDefault": "read plt.rcParams instead",
    "rcParamsOrig": "read plt.rcParams instead",
}
MATPLOTLIB_REFUSED = {
    "rc_file": FILES,
    "rc_file_defaults": FILES,
    "get_cachedir": FILES,
    "get_configdir": FILES,
    "get_data_path": FILES,
    "matplotlib_fname": FILES,
    "set_loglevel": reasons.GLOBAL_STATE,
}
# What figures, axes and artists never offer (their other public Python methods draw).
ARTIST_REFUSED = {
    "set_usetex": "LaTeX would start a program; mathtext such as '$x^2$' works without it",
    "ginput": "there is no screen or mouse here",
    "waitforbuttonpress": "there is no screen or mouse here",
    "set_canvas": "the sandbox draws with the Agg backend only",
    "pick": "there is no screen or mouse here",
    "show": "use plt.show(): it returns your figures as pictures",
    "figimage": "it draws raw image data outside the axes; use imshow",
    "write_png": "the sandbox has no files; plt.show() returns your figures as pictures",
}
# rcParams groups learners may change: the look of figures. The rest start programs or touch files.
RC_GROUPS = name_set(
    """
    figure font axes lines markers xtick ytick grid legend image patch scatter hist boxplot errorbar
    contour pcolor pcolormesh polaraxes date mathtext hatch lines axes3d savefig
    """
)
RC_REFUSED_KEYS = name_set("text.usetex text.latex.preamble savefig.directory savefig.format figure.hooks")
RC_TEXT_KEYS = name_set("text.color text.antialiased text.hinting text.hinting_factor text.kerning_factor")


def rc_refusal(key: object) -> str | None:
    """Say why learner code may not set the rcParams entry ``key``, or None when it may."""
    if not isinstance(key, str):
        return "rcParams keys are strings"
    if key in RC_REFUSED_KEYS:
        return (
            f"rcParams[{key!r}] is not available here: it starts programs, imports modules or touches files"
        )
    if key in RC_TEXT_KEYS or key.partition(".")[0] in RC_GROUPS:
        return None
    return f"rcParams[{key!r}] is not available here: only settings of how figures look can change"


class RcParamsView(MutableMapping[str, Any]):
    """``plt.rcParams`` for learner code: reads everything, writes only the look of figures."""

    def __init__(self, real: MutableMapping[str, Any]) -> None:
        self._real = real

    def __getitem__(self, key: str) -> Any:
        value = self._real[key]
        # A copy: changing a list in place (rcParams["figure.hooks"].append) would bypass the key rules.
        return copy.deepcopy(value) if isinstance(value, list | dict | set) else value

    def __setitem__(self, key: str, value: Any) -> None:
        refusal = rc_refusal(key)
        if refusal:
            deny(refusal)
        self._real[key] = value

    def __delitem__(self, key: str) -> None:
        deny("rcParams entries cannot be deleted; use plt.rcdefaults()")

    def __iter__(self) -> Iterator[str]:
        return iter(self._real)

    def __len__(self) -> int:
        return len(self._real)

    def __repr__(self) -> str:
        return repr(self._real)


register_internal_type(RcParamsView)


def _checked_rc(rc: Any) -> None:
    for key in dict(rc or {}):
        refusal = rc_refusal(key)
        if refusal:
            deny(refusal)


def _checked_properties(names: Any) -> None:
    """Refuse artist properties whose setters are refused (``set(usetex=True)`` calls ``set_usetex``)."""
    for name in names:
        setter = f"set_{name}"
        if setter in ARTIST_REFUSED:
            deny(f"the property {name!r} is not available here: {ARTIST_REFUSED[setter]}")


def artist_set(method: Any) -> Any:
    """Wrap an artist's ``set(**properties)`` so it refuses the properties whose setters are refused."""

    def set_properties(*args: Any, **kwargs: Any) -> Any:
        _checked_properties(kwargs)
        return method(*args, **kwargs)

    return set_properties


def savefig_to_memory(save: Any) -> Any:
    """Wrap a ``savefig`` so it writes only into an ``io.BytesIO``."""

    def savefig(fname: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(fname, io.BytesIO):
            deny(f"savefig to {type(fname).__name__} is not available here: {FILES}; use an io.BytesIO")
        if kwargs.get("format") not in (None, "png", "jpg", "jpeg", "svg", "pdf"):
            deny(f"savefig(format={kwargs['format']!r}) is not available here: {reasons.OUTSIDE}")
        owner = getattr(save, "__self__", None)
        figures.disarm(owner if owner is not None else _current_figure())
        return save(fname, *args, **kwargs)

    return savefig


def _current_figure() -> Any:
    import matplotlib.pyplot as plt

    return plt.gcf()


def _rule(allowed: frozenset[str], refused: dict[str, str]) -> Rule:
    def rule(name: str, value: Any) -> str | None:
        if name in refused:
            return refused[name]
        if name in allowed or is_absent(value):
            return None
        return reasons.OUTSIDE

    return rule


def _public_values() -> Rule:
    """Allow the public names that are not modules (colors and colormaps hold no file or process access)."""

    def rule(name: str, value: Any) -> str | None:
        return reasons.OUTSIDE if isinstance(value, types.ModuleType) else None

    return rule


def build_plotting_proxies() -> dict[str, ModuleProxy]:
    """Build the proxies of ``matplotlib`` and ``matplotlib.pyplot`` (after ``figures.prepare()``)."""
    import matplotlib
    import matplotlib.cm
    import matplotlib.colors
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    # type(text.get_fontproperties()) would hand out a constructor that opens any font file by name.
    views.withhold_class(FontProperties, "it opens font files by path; pass family= and size= to text calls")
    rc = RcParamsView(cast(MutableMapping[str, Any], matplotlib.rcParams))

    def rc_group(group: str, **settings: Any) -> None:
        _checked_rc({f"{group}.{key}": value for key, value in settings.items()})
        plt.rc(cast(Any, group), **settings)

    def rc_context(rc: Any = None, fname: Any = None) -> Any:
        if fname is not None:
            deny(f"rc_context(fname=...) is not available here: {FILES}")
        _checked_rc(rc)
        return plt.rc_context(rc)

    def checked_styles(style: Any) -> None:
        names = [style] if isinstance(style, str | dict) else list(style)
        for name in names:
            if isinstance(name, dict):
                _checked_rc(name)
            elif not isinstance(name, str) or (name != "default" and name not in plt.style.available):
                deny(f"style {name!r} is not available here: {FILES}; use one of plt.style.available")

    def use_style(style: Any) -> None:
        checked_styles(style)
        plt.style.use(style)

    def style_context(style: Any, after_reset: bool = False) -> Any:
        checked_styles(style)
        return plt.style.context(style, after_reset)

    def setp(obj: Any, *args: Any, **kwargs: Any) -> Any:
        names = list(kwargs) + [name for name in args[::2] if isinstance(name, str)]
        _checked_properties(names)
        return plt.setp(obj, *args, **kwargs)

    colors = ModuleProxy("matplotlib.colors", matplotlib.colors, _public_values())
    cm = ModuleProxy("matplotlib.cm", matplotlib.cm, _public_values())
    style = namespace(
        "matplotlib.style",
        {"use": use_style, "available": list(plt.style.available), "context": style_context},
        reasons.OUTSIDE,
    )
    pyplot = ModuleProxy(
        "matplotlib.pyplot",
        plt,
        _rule(PYPLOT, PYPLOT_REFUSED),
        {
            "show": figures.show,
            "savefig": savefig_to_memory(plt.savefig),
            "rcParams": rc,
            "rc": rc_group,
            "rc_context": rc_context,
            "style": style,
            "cm": cm,
            "setp": setp,
        },
    )
    top = ModuleProxy(
        "matplotlib",
        matplotlib,
        _rule(name_set("colormaps color_sequences rcdefaults"), {**MATPLOTLIB_REFUSED, **reasons.MATPLOTLIB}),
        {
            "pyplot": pyplot,
            "colors": colors,
            "cm": cm,
            "rcParams": rc,
            "rc": rc_group,
            "rc_context": rc_context,
            "style": style,
            "use": lambda backend, force=True: None,  # the backend is Agg, whatever a script asks for
        },
    )
    return {"matplotlib": top, "matplotlib.pyplot": pyplot, "matplotlib.colors": colors, "matplotlib.cm": cm}
