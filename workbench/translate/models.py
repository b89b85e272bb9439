"""Finding translation models on this machine; never downloads.

Which model translates a language, first match wins:

1. the option (`--model-zh` / `--model-vi`, or `open_translator(model_zh=...)`);
2. the environment: `WORKBENCH_MODEL_ZH` / `WORKBENCH_MODEL_VI`;
3. the config file: `./workbench.toml`, else `<user config dir>/workbench/config.toml`
   (or the file named by `WORKBENCH_CONFIG`), table `[models]` with keys `zh` / `vi`;
4. the public default: `Helsinki-NLP/opus-mt-zh-en` / `Helsinki-NLP/opus-mt-vi-en`.

Each is a local folder (as written by `save_pretrained` or copied from a
snapshot) or a Hugging Face model id looked up in the Hugging Face cache
(`HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.translate.base import LANGS, MTUnavailable

if TYPE_CHECKING:
    from workbench.translate.memory import TranslationMemory

DEFAULT_MODELS = {"zh": "Helsinki-NLP/opus-mt-zh-en", "vi": "Helsinki-NLP/opus-mt-vi-en"}
ENV_VARS = {lang: f"WORKBENCH_MODEL_{lang.upper()}" for lang in LANGS}
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
NEEDED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")


@dataclass(frozen=True)
class ModelLocation:
    """A model found on disk."""

    lang: str
    spec: str  # what the user asked for: id or folder
    origin: str  # where the spec came from: option, env var, config file, default
    path: Path  # folder with config.json, weights and tokenizer files
    name: str  # model id, or the folder name
    revision: str | None  # HF cache snapshot (commit hash), if from the cache

    @property
    def weights(self) -> Path:
        return next(self.path / f for f in WEIGHT_FILES if (self.path / f).exists())

    def identity(self, memory: "TranslationMemory | None" = None) -> str:
        """name@revision (cache) or name@sha256-prefix of the weights (folder)."""
        if self.revision:
            return f"{self.name}@{self.revision}"
        return f"{self.name}@{weights_hash(self.weights, memory)[:16]}"

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "huggingface" / "hub"


def config_file() -> Path | None:
    """The config file in effect, if any (see the module docstring)."""
    if os.environ.get("WORKBENCH_CONFIG"):
        return Path(os.environ["WORKBENCH_CONFIG"]).expanduser()
    local = Path("workbench.toml")
    if local.is_file():
        return local
    import platformdirs

    user = Path(platformdirs.user_config_dir("workbench")) / "config.toml"
    return user if user.is_file() else None


def configured_models() -> tuple[dict[str, str], Path | None]:
    """`[models]` of the config file: ({"zh": spec, ...}, file)."""
    path = config_file()
    if path is None:
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MTUnavailable("config file not found (WORKBENCH_CONFIG)", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MTUnavailable(f"not a valid TOML config file: {exc}", path) from None
    models = data.get("models", {})
    if not isinstance(models, dict) or not all(isinstance(v, str) for v in models.values()):
        raise MTUnavailable('[models] must map a language to a model id or folder, '
                            'e.g. zh = "Helsinki-NLP/opus-mt-zh-en"', path)
    return {k: v for k, v in models.items() if k in LANGS}, path


def model_spec(lang: str, override: str | Path | None = None) -> tuple[str, str]:
    """(spec, origin) of the model that translates `lang`."""
    if override:
        return str(override), f"--model-{lang}"
    if os.environ.get(ENV_VARS[lang]):
        return os.environ[ENV_VARS[lang]], ENV_VARS[lang]
    configured, path = configured_models()
    if lang in configured:
        return configured[lang], str(path)
    return DEFAULT_MODELS[lang], "default"


def _is_model_dir(path: Path) -> bool:
    return (all((path / f).is_file() for f in NEEDED_FILES)
            and any((path / f).is_file() for f in WEIGHT_FILES))


def _from_cache(model_id: str) -> tuple[Path, str] | None:
    """(snapshot folder, revision) of `model_id` in the HF cache, newest complete one."""
    repo = hf_cache_dir() / ("models--" + model_id.replace("/", "--"))
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = repo / "refs" / "main"
    preferred = ref.read_text().strip() if ref.is_file() else None
    candidates = sorted(snapshots.iterdir(), key=lambda p: (p.name != preferred, -p.stat().st_mtime))
    for snap in candidates:
        if _is_model_dir(snap):
            return snap, snap.name
    return None


def locate(lang: str, override: str | Path | None = None) -> ModelLocation | None:
    """The model for `lang` if it is on this machine, else None."""
    spec, origin = model_spec(lang, override)
    path = Path(spec).expanduser()
    if path.exists() or spec.startswith((".", "/", "~")):
        if path.is_dir() and _is_model_dir(path):
            return ModelLocation(lang, spec, origin, path.resolve(), path.resolve().name, None)
        return None
    found = _from_cache(spec)
    if found is None:
        return None
    return ModelLocation(lang, spec, origin, found[0], spec, found[1])


def how_to_get(lang: str, override: str | Path | None = None) -> str:
    """One message: which model is missing for `lang` and exactly how to get it."""
    spec, origin = model_spec(lang, override)
    path = Path(spec).expanduser()
    flag = f"--model-{lang} DIR"
    if path.exists() or spec.startswith((".", "/", "~")):
        what = ("is not a folder" if not path.is_dir() else
                f"lacks model files (needs {', '.join(NEEDED_FILES)} and "
                f"{' or '.join(WEIGHT_FILES)})")
        return (f"no {lang}->en translation model: {spec} (from {origin}) {what}; "
                f"pass {flag} with a MarianMT folder saved by save_pretrained")
    model_id = spec
    return (f"no {lang}->en translation model: {model_id} (from {origin}) is not in the Hugging Face "
            f"cache {hf_cache_dir()}; run `hf download {model_id}` on a machine with internet and copy "
            f"models--{model_id.replace('/', '--')} into that cache, or pass {flag} (or set {ENV_VARS[lang]})")


def resolve_all(overrides: dict[str, str | Path | None], langs: tuple[str, ...]) -> dict[str, ModelLocation]:
    """The models for `langs`, or MTUnavailable listing each missing one and the fix."""
    found: dict[str, ModelLocation] = {}
    missing: list[str] = []
    for lang in langs:
        if lang not in LANGS:
            raise MTUnavailable(f"no translation from {lang!r}: languages are {', '.join(LANGS)}")
        loc = locate(lang, overrides.get(lang))
        if loc is None:
            missing.append(how_to_get(lang, overrides.get(lang)))
        else:
            found[lang] = loc
    if missing:
        raise MTUnavailable("; ".join(missing))
    return found


def weights_hash(path: Path, memory: "TranslationMemory | None" = None) -> str:
    """sha256 of a weights file; the HF cache already names blobs by it.

    With a memory, the hash is remembered per (path, size, mtime): hashing
    300 MB of weights on every start would cost a second.
    """
    real = path.resolve()
    if real.parent.name == "blobs" and len(real.name) == 64:
        return real.name
    if memory is None:
        return _sha256(real)
    return memory.file_hash(real, lambda: _sha256(real))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedModel:
    """A translation model found in the HF cache (for `workbench models`)."""

    model_id: str
    path: Path
    size: int


def cached_marian_models() -> list[CachedModel]:
    """Every complete MarianMT-like model in the HF cache (opus-mt and others)."""
    root = hf_cache_dir()
    out: list[CachedModel] = []
    if not root.is_dir():
        return out
    for repo in sorted(root.glob("models--*")):
        model_id = repo.name[len("models--"):].replace("--", "/")
        found = _from_cache(model_id)
        if found is not None:
            size = sum(f.stat().st_size for f in found[0].iterdir() if f.is_file())
            out.append(CachedModel(model_id, found[0], size))
    return out
