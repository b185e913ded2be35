"""Local generation with llama.cpp (llama-cpp-python), JSON constrained by outlines.

The model is loaded lazily, once per backend object; ``llama_cpp`` and ``outlines`` are
imported only then, so ``cmdai --help`` never pays for them.

Three things here exist for latency, each measured on a 2-core machine (see README):

- Prompts are rendered through the model's own chat template (from the GGUF) and tokenized
  here, so the backend knows which tokens are the stable prefix (system prompt + examples).
- That prefix's KV cache is saved with llama.cpp's per-sequence state files (a few MB) and
  restored in later processes, so a new ``cmdai`` evaluates only the request's tokens. The file
  is keyed by model, context size, llama.cpp version and the exact prefix tokens; a stale or
  unreadable file is ignored and rebuilt, never trusted. ``cmdai.cache`` names these files by
  model and keeps their directory bounded.
- The outlines logits processor is built once per schema and handed to llama.cpp directly,
  rather than through ``outlines.Generator.__call__``, because outlines' llama.cpp model resets
  the KV cache after every call (discarding the prefix) and does not report token usage.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cmdai import cache, llama_compat, outlines_compat
from cmdai.backends.base import Generation, GenerationRequest, Message, TextCallback
from cmdai.backends.decoding import LoopDetector, prompt_lookup, sample
from cmdai.errors import BackendError, ModelCorruptError
from cmdai.llama_compat import without_weight_repacking
from cmdai.models import ResolvedModel

log = logging.getLogger(__name__)

# No whitespace between JSON tokens: every token the model emits costs ~90 ms on 2 cores, and
# outlines_core's default (an optional space) lets it spend some on spaces. The prompt's worked
# examples use the same compact form (prompts.answer_json).
JSON_WHITESPACE = ""
# Prefixes shorter than this are cheaper to evaluate than to restore from disk.
MIN_CACHED_PREFIX = 64
_TURN_MARKER = "\ue000cmdai-turn\ue000"
"""Stands for a message's content when rendering where that content would start."""


class LlamaCppBackend:
    """A GGUF model run in-process by llama.cpp."""

    name = "llamacpp"

    def __init__(
        self,
        resolve: Callable[[], ResolvedModel],
        *,
        n_ctx: int,
        n_threads: int,
        seed: int,
        state_dir: Path | None = None,
        notice: Callable[[str], None] | None = None,
        repack: bool = False,
    ) -> None:
        """Prepare (but do not load) a model.

        Args:
            resolve: Finds the model file; called on first use (it may assemble the file).
            n_ctx: Context window in tokens.
            n_threads: CPU threads for llama.cpp.
            seed: llama.cpp's RNG seed.
            state_dir: Where prompt-prefix KV states are kept; None disables the cache.
            notice: Told (one line) before slow one-time work, such as caching the prefix.
            repack: Let llama.cpp repack the weights at load (``cmdai.repack`` decides when:
                slower to load, faster to generate where it works at all).
        """
        self._resolve = resolve
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.seed = seed
        self.state_dir = state_dir
        self._notice = notice
        self.repack = repack
        self._model: ResolvedModel | None = None
        # Any: llama-cpp-python's annotations are partial (untyped reset(), loose messages).
        self._llm: Any = None
        self._outlines_model: Any = None
        self._processors: dict[str, Any] = {}
        self._indexes: dict[str, Any] = {}
        self._allowed: dict[tuple[str, int], Any] = {}
        # The last prompt evaluated on the greedy path, its stable prefix's length and its
        # last token's logits: what keeps an answer independent of what was asked before.
        self._last_prompt: list[int] = []
        self._last_logits: Any = None
        self._stable = 0
        self.fast_greedy = True
        """Greedy constrained answers skip llama-cpp-python's sampler (same tokens, faster)."""
        self.draft_tokens = 0
        """Prompt-lookup drafts of up to this many tokens on the plain greedy path (0: off)."""
        self.drafted = 0
        self.accepted = 0
        """Draft tokens proposed and accepted so far (acceptance = accepted / drafted)."""
        self._formatters: dict[bool, Any] = {}

    def describe(self) -> dict[str, Any]:
        """Model identity and load settings."""
        model = self._model
        return {
            "backend": self.name,
            "name": model.name if model else None,
            "path": str(model.path) if model else None,
            "sha256": model.sha256 if model else None,
            "n_ctx": self.n_ctx,
            "n_threads": self.n_threads,
            "seed": self.seed,
            "repack": self.repack,
        }

    def load(self) -> float:
        """Load the model now (idempotent); returns the seconds it took."""
        if self._llm is not None:
            return 0.0
        start = time.perf_counter()
        self._model = self._resolve()
        from llama_cpp import Llama

        try:
            with contextlib.nullcontext() if self.repack else without_weight_repacking():
                self._llm = Llama(
                    model_path=str(self._model.path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    seed=self.seed,
                    verbose=False,
                )
        except (ValueError, RuntimeError) as exc:
            raise ModelCorruptError(
                f"llama.cpp could not load {self._model.path}: {exc}",
                hint="The file may be truncated or not a llama.cpp GGUF model; "
                "re-download it or pick another with --model.",
            ) from exc
        if not self._llm.metadata.get("tokenizer.chat_template"):
            raise ModelCorruptError(
                f"{self._model.path} has no chat template in its metadata",
                hint="cmdai needs an instruction-tuned GGUF that carries its chat template.",
            )
        return time.perf_counter() - start

    def generate(
        self, request: GenerationRequest, on_text: TextCallback | None = None
    ) -> Generation:
        """Generate one answer, constrained to ``request.json_schema`` when given.

        The prefill is placed after the chat template's generation prompt (so the model
        continues the assistant turn from it) and ``stop`` ends the answer. ``on_text`` sees
        the answer grow on the greedy path (the default); the sampler path does not stream.
        """
        load_s = self.load()
        llm = self._llm
        assert llm is not None  # for mypy: load() set it
        start = time.perf_counter()
        prompt = self._render(request.messages, generation_prompt=True) + request.prefill
        tokens = self._tokenize(prompt)
        if len(tokens) + request.max_tokens > self.n_ctx:
            raise BackendError(
                f"the prompt ({len(tokens)} tokens) and answer ({request.max_tokens}) do not "
                f"fit the context window of {self.n_ctx} tokens",
                hint="Shorten the request, or raise n_ctx (--n-ctx / CMDAI_N_CTX).",
            )
        cached = self._prepare_prefix(request.messages, request.stable_prefix, tokens)
        # Sampling takes the same path when unconstrained (cmdai's candidates: a seeded draw
        # from the temperature-scaled distribution, nucleus-trimmed).
        fast = request.temperature == 0 or request.json_schema is None
        if self.fast_greedy and fast and request.repeat_penalty == 1.0:
            logprobs: list[float] = []
            text, n_generated, truncated, stopped, decline_p = self._greedy(
                tokens, request, logprobs, on_text
            )
            return Generation(
                text=text,
                prompt_tokens=len(tokens),
                completion_tokens=n_generated,
                load_s=load_s,
                generate_s=time.perf_counter() - start,
                constrained=request.json_schema is not None,
                cached_tokens=cached,
                truncated=truncated,
                prefix=request.prefill,
                stopped=stopped,
                decline_p=decline_p,
                token_logprobs=tuple(logprobs),
            )
        processors = None
        if request.json_schema is not None:
            from llama_cpp import LogitsProcessorList

            processor = self._processor(request.json_schema)
            processor.reset()
            processors = LogitsProcessorList([processor])
        from llama_cpp import StoppingCriteriaList

        looping = LoopDetector(len(tokens))
        completion: Any = llm.create_completion(
            prompt=tokens,
            logits_processor=processors,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            seed=request.seed,
            repeat_penalty=request.repeat_penalty,
            stop=list(request.stop) or None,
            stopping_criteria=StoppingCriteriaList([looping]),
        )
        usage = completion.get("usage") or {}
        finish = completion["choices"][0].get("finish_reason")
        text = completion["choices"][0]["text"] or ""
        return Generation(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens", len(tokens))),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            load_s=load_s,
            generate_s=time.perf_counter() - start,
            constrained=processors is not None,
            cached_tokens=cached,
            truncated=finish == "length" or looping.fired,
            prefix=request.prefill,
            # llama-cpp-python reports an end-of-generation token and a stop string alike.
            stopped=finish == "stop" and bool(request.stop),
        )

    def _greedy(
        self,
        tokens: list[int],
        request: GenerationRequest,
        logprobs: list[float],
        on_text: TextCallback | None = None,
    ) -> tuple[str, int, bool, bool, float | None]:
        """Greedy decoding, under the schema's token index when given; or seeded sampling.

        Sampling (``decoding.sample``) is used unconstrained at a temperature above 0.

        Returns the text (cut before the first ``stop`` string), the number of tokens
        generated, whether the answer was cut short (token limit or a loop), whether a stop
        string ended it, and the probability of declining (when the request asks for a
        calibrated decline: see ``_first_token``). ``logprobs`` receives the log-probability
        the model gave each chosen token (unconstrained distribution): how sure it was.

        The same choice llama-cpp-python's sampler makes at temperature 0 (behind the
        outlines logits processor when constrained: the most likely token the index allows),
        without its per-token overhead: no copy of the full logits, no bitmask, no sampler
        chain. The allowed set of each index state is turned into an array once per process
        (a JSON schema index has a few dozen states).
        """
        import numpy as np
        from llama_cpp import llama_vocab_is_eog as is_eog

        llm = self._llm
        assert llm is not None
        schema_text, max_tokens, stop = request.json_schema, request.max_tokens, request.stop
        vocab = llama_compat.vocab(llm)
        index = self._index(schema_text) if schema_text is not None else None
        decline_p: float | None = None
        n_vocab = llm.n_vocab()
        first: Any = self._evaluate_prompt(tokens, n_vocab)
        eos = llm.token_eos()
        looping = LoopDetector(0)
        state = index.get_initial_state() if index is not None else 0
        generated: list[int] = []
        rng = np.random.default_rng(request.seed) if request.temperature > 0 else None
        # Speculation (plain greedy only): tokens the answer is likely to copy from the prompt
        # are evaluated with the chosen token in one batch; each is kept while it is what
        # greedy decoding picks anyway, so the answer is the same, in fewer decode calls.
        speculate = self.draft_tokens > 0 and index is None and rng is None
        rows: deque[Any] = deque()  # logits after each drafted token already evaluated
        drafts: deque[int] = deque()  # drafted tokens in the KV cache, not yet confirmed
        while len(generated) < max_tokens:
            if first is not None:
                logits, first = first, None
            else:
                logits = rows.popleft() if rows else llama_compat.last_logits(llm, n_vocab)
            if index is None and not generated and request.decline_marker:
                token, decline_p = self._first_token(
                    logits, request.decline_marker, request.decline_threshold
                )
            elif index is None and rng is not None:
                token = sample(logits, request.temperature, rng)
            elif index is None:
                token = int(np.argmax(logits))
            else:
                allowed = self._allowed.get((schema_text, state))  # type: ignore[arg-type]
                if allowed is None:
                    allowed = np.asarray(index.get_allowed_tokens(state), dtype=np.int64)
                    self._allowed[(schema_text, state)] = allowed  # type: ignore[index]
                token = int(allowed[int(np.argmax(logits[allowed]))])
            if token == eos or (index is None and is_eog(vocab, token)):
                return self._text(generated), len(generated), False, False, decline_p
            generated.append(token)
            peak = float(logits.max())
            logprobs.append(
                float(logits[token]) - peak - float(np.log(np.exp(logits - peak).sum()))
            )
            if index is not None:
                next_state = index.get_next_state(state, token)
                if next_state is None:  # cannot happen for an allowed token; never loop on it
                    return self._text(generated), len(generated), True, False, decline_p
                state = next_state
            if stop or on_text is not None:
                text = self._text(generated)
                ends = [text.find(s) for s in stop if s in text]
                if ends:
                    return text[: min(ends)], len(generated), False, True, decline_p
                if on_text is not None:
                    on_text(text)
            if looping(generated, None):
                return self._text(generated), len(generated), True, False, decline_p
            if drafts and token == drafts[0]:
                drafts.popleft()  # already evaluated: its logits row is next
                self.accepted += 1
                continue
            if drafts:  # greedy chose otherwise: forget this draft token and the ones after it
                llama_compat.keep_cached_tokens(llm, int(llm.n_tokens) - len(drafts))
                drafts.clear()
                rows.clear()
            room = min(self.draft_tokens, max_tokens - len(generated) - 1)
            draft = prompt_lookup([*tokens, *generated], room) if speculate and room > 0 else []
            if draft:
                rows.extend(llama_compat.eval_rows(llm, [token, *draft], n_vocab))
                drafts.extend(draft)
                self.drafted += len(draft)
            else:
                llm.eval([token])
        truncated = not index.is_final_state(state) if index is not None else True
        return self._text(generated), len(generated), truncated, False, decline_p

    def _evaluate_prompt(self, tokens: list[int], n_vocab: int) -> Any:
        """Evaluate ``tokens``; the logits of its last token (a copy).

        A new request reuses only the stable prefix from the KV cache and evaluates the rest
        in one batch, as it would in a new process: reusing more (a previous request's first
        words, or the whole of it asked again, where only the last token was evaluated) gave
        the same request different answers now and then, the numbers of a batch of one and
        of many differing in the last bits. The same prompt again (another draft of it)
        reuses the cache and the logits kept from its evaluation; a prompt that continues the
        last one (the rest of an open loop, a revision) reuses all of it.
        """
        llm = self._llm
        cached = list(llama_compat.cached_tokens(llm))
        last = self._last_prompt
        if tokens == last and cached[: len(tokens)] == tokens and self._last_logits is not None:
            llama_compat.keep_cached_tokens(llm, len(tokens))
            return self._last_logits
        continues = bool(last) and tokens[: len(last)] == last and cached[: len(last)] == last
        llama_compat.eval_prompt(llm, tokens, None if continues else self._stable)
        self._last_prompt = list(tokens)
        self._last_logits = llama_compat.last_logits(llm, n_vocab).copy()
        return self._last_logits

    def _first_token(self, logits: Any, marker: str, threshold: float) -> tuple[int, float]:
        """The first token of an answer that may decline, and the probability of declining.

        Greedy decoding lets a decline win whenever it is the single most likely first token,
        and worked examples of declines make it so for many plain shell requests (measured:
        24% false declines). Instead the answer declines exactly when the model's total
        probability of starting with ``marker`` reaches ``threshold``, a value calibrated on
        the dev split; otherwise the best non-declining token starts it. The mass is summed
        over the 256 most likely tokens (the rest hold a negligible share).
        """
        import numpy as np

        top = np.argpartition(logits, -256)[-256:]
        peak = logits.max()
        probs = np.exp(logits[top] - peak) / np.exp(logits - peak).sum()
        texts = [self._text([int(t)]).lstrip() for t in top]
        # `#!` opens a script (`#!/bin/bash`), not a reason to decline.
        declines = np.array([t.startswith(marker) and not t.startswith("#!") for t in texts])
        p = float(probs[declines].sum())
        pool = top[declines] if p >= threshold and declines.any() else top[~declines]
        return int(pool[int(np.argmax(logits[pool]))]), p

    def _text(self, tokens: list[int]) -> str:
        assert self._llm is not None
        return str(self._llm.detokenize(tokens).decode("utf-8", errors="replace"))

    # -- prompt rendering ------------------------------------------------------------------

    def _render(self, messages: Sequence[Message], *, generation_prompt: bool) -> str:
        formatter = self._formatters.get(generation_prompt)
        other = self._formatters.get(not generation_prompt)
        if formatter is None and other is not None:
            # The flag is read at render time: share the compiled template (~12 ms each).
            formatter = copy.copy(other)
            formatter.add_generation_prompt = generation_prompt
            self._formatters[generation_prompt] = formatter
        if formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            llm = self._llm
            assert llm is not None
            eos, bos = llm.token_eos(), llm.token_bos()
            formatter = Jinja2ChatFormatter(
                template=llm.metadata["tokenizer.chat_template"],
                eos_token=llama_compat.token_text(llm, eos) if eos != -1 else "",
                bos_token=llama_compat.token_text(llm, bos) if bos != -1 else "",
                add_generation_prompt=generation_prompt,
            )
            self._formatters[generation_prompt] = formatter
        chat: Any = [{"role": m.role, "content": m.content} for m in messages]
        return str(formatter(messages=chat).prompt)

    def _tokenize(self, text: str) -> list[int]:
        assert self._llm is not None
        # add_bos maps to llama.cpp's add_special: BOS only where the model asks for one.
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True))

    # -- prefix KV cache -------------------------------------------------------------------

    def _prepare_prefix(self, messages: Sequence[Message], stable: int, tokens: list[int]) -> int:
        """Make the KV cache hold the stable prefix of ``tokens``; return tokens reused.

        The stable prefix is the first ``stable`` messages and the opening of the turn after
        them (``<|im_start|>user`` and a newline in ChatML: three tokens that a new process
        would evaluate for every request, at prompt speed). Within a process llama-cpp-python
        already reuses the longest common prefix; across processes the prefix is restored
        from (or saved to) a state file.
        """
        llm = self._llm
        assert llm is not None
        self._stable = 0
        if not stable:
            return 0
        prefix = self._tokenize(self._prefix_text(messages[:stable], messages[stable:]))
        n = len(prefix)
        if n < MIN_CACHED_PREFIX or tokens[:n] != prefix or n >= len(tokens):
            return 0
        self._stable = n  # what a new request may reuse of the cache (_evaluate_prompt)
        if list(llama_compat.cached_tokens(llm)[:n]) == prefix:
            return n  # already in this process's KV cache
        path = self._state_path(prefix)
        if path is None:
            return 0
        if path.exists() and self._restore(path, prefix):
            cache.touch(path)
            return n
        log.info("building prompt-prefix state (%d tokens) at %s", n, path)
        if self._notice is not None:
            self._notice("evaluating the prompt once for this model (first run only)...")
        llm.reset()
        llm.eval(prefix)
        self._save(path, prefix)
        return 0

    def _prefix_text(self, stable: Sequence[Message], rest: Sequence[Message]) -> str:
        """The stable messages as the chat template renders them, and the next turn's opening.

        The opening is what the template writes before the next message's content, found by
        rendering a marker in its place; without a next message, or where the template does
        not write the stable messages as a prefix of the whole, the stable messages alone.
        """
        text = self._render(stable, generation_prompt=False)
        if not rest:
            return text
        marked = self._render(
            [*stable, Message(rest[0].role, _TURN_MARKER)], generation_prompt=False
        )
        at = marked.find(_TURN_MARKER)
        return marked[:at] if marked.startswith(text) and at >= len(text) else text

    def _state_path(self, prefix: list[int]) -> Path | None:
        model = self._state_model_key()
        if model is None:
            return None
        import llama_cpp

        assert self.state_dir is not None
        key = hashlib.sha256(
            repr((self._model_identity(), self.n_ctx, llama_cpp.__version__, prefix)).encode()
        ).hexdigest()[:32]
        return cache.state_path(self.state_dir, "prefix", model, key)

    def _state_model_key(self) -> str | None:
        """The model's part of its state file names; None when states are not kept."""
        if self.state_dir is None or self._model is None:
            return None
        return cache.model_key(self._model.path, self._model.sha256)

    def _model_identity(self) -> str:
        model = self._model
        assert model is not None
        if model.sha256:
            return model.sha256
        st = model.path.stat()
        return f"{model.path.resolve()}:{st.st_size}:{st.st_mtime_ns}"

    def _restore(self, path: Path, prefix: list[int]) -> bool:
        llm = self._llm
        assert llm is not None
        llm.reset()
        llama_compat.clear_kv(llm)
        restored = llama_compat.load_seq_state(llm, path, len(prefix))
        if restored != prefix:
            log.warning("ignoring unusable prompt-prefix state %s; rebuilding it", path)
            llama_compat.clear_kv(llm)
            with contextlib.suppress(OSError):
                path.unlink()
            return False
        llama_compat.set_cached_tokens(llm, prefix)
        return True

    def _save(self, path: Path, prefix: list[int]) -> None:
        llm = self._llm
        assert llm is not None
        cache.store(path, lambda tmp: llama_compat.save_seq_state(llm, tmp, prefix))

    # -- constrained decoding --------------------------------------------------------------

    def _processor(self, schema_text: str) -> Any:
        """The outlines logits processor for a schema, built once per process.

        Building it needs outlines' view of the vocabulary (a pass over all 151k tokens) and
        the schema's token index: about 2 s on 2 cores. The index is saved (outlines_core's own
        binary form) beside the prefix states and reloaded in later processes.
        """
        processor = self._processors.get(schema_text)
        if processor is not None:
            return processor
        # Only a schema needs outlines, and so numba (about 0.4 s to import on 2 cores): the
        # fenced format, the default, never loads it.
        _require_numba()
        outlines_compat.enable_numba_cache()
        path = self._index_path(schema_text)
        index = None
        if path is not None and path.exists():
            try:
                index = outlines_compat.index_from_bytes(path.read_bytes())
            except (OSError, ValueError, TypeError) as exc:
                log.warning("ignoring unusable schema index %s (%s); rebuilding it", path, exc)
            else:
                cache.touch(path)
        if index is None:
            import outlines

            if self._outlines_model is None:
                self._outlines_model = outlines.from_llamacpp(self._llm)
            index = outlines_compat.json_schema_index(
                self._outlines_model, schema_text, JSON_WHITESPACE
            )
            if path is not None:
                cache.store_bytes(path, outlines_compat.index_to_bytes(index))
        processor = outlines_compat.logits_processor(index)
        self._processors[schema_text] = processor
        self._indexes[schema_text] = index
        return processor

    def _index(self, schema_text: str) -> Any:
        """The outlines_core ``Index`` of a schema (built or loaded with its processor)."""
        if schema_text not in self._indexes:
            self._processor(schema_text)
        return self._indexes[schema_text]

    def _index_path(self, schema_text: str) -> Path | None:
        model = self._state_model_key()
        if model is None:
            return None
        from importlib.metadata import version

        assert self.state_dir is not None
        key = hashlib.sha256(
            repr(
                (self._model_identity(), version("outlines_core"), JSON_WHITESPACE, schema_text)
            ).encode()
        ).hexdigest()[:32]
        return cache.state_path(self.state_dir, "index", model, key)


def _require_numba() -> None:
    """Fail loudly where outlines would fail silently.

    outlines' numpy kernels need numba; without it the logits processor raises inside
    llama.cpp's sampling callback, the error is swallowed and generation runs unconstrained.
    """
    try:
        import outlines_core.kernels.numpy  # noqa: F401
    except ImportError as exc:
        raise BackendError(
            f"constrained decoding is unavailable: {exc}",
            hint="Install numba (pip install numba); cmdai depends on it for outlines.",
        ) from exc
