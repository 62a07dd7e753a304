"""Deterministic synthetic Workflow pages for the benchmarks (parse, lint, index).

Pages follow the guide's canonical layout exactly (docs: /work/shared/spec/workflow-page-guide.md):
metadata table, Overview with Description and Usage, Execution Steps (``=== Step N: Name ===``
opened by ``[[step::Principle:X]]``), a linear ``{{#mermaid:graph TD ...}}`` diagram, and Related
Pages with the step list and Tips and Tricks. Step targets come from one shared pool of principle
names, so workflows share principles the way a real wiki does; heuristics likewise.

Speed matters more than variety (the index benchmark wants 100,000 pages): sentences and bullets
are built once per seed into pools, and a page is assembled by picking from the pools until it
reaches the wanted size. Text is ASCII, so a page's ``len`` is its size in bytes.

Library use::

    from generate import generate_pages
    for title, text in generate_pages(1000, seed=0, size=6000): ...

Script use (one wiki folder tree)::

    python bench/generate.py OUT_DIR --workflows N [--principles M] [--heuristics K] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

EXTENSION = ".mediawiki"
MIN_STEPS, MAX_STEPS = 3, 9
NODE_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TABLE_OPEN = '{| class="wikitable" style="float:right; margin-left:1em; width:300px;"'
SENTENCE_POOL = 3000
BULLET_POOL = 1500
_SLACK = 60  # about half a pooled sentence: what _fill overshoots its budget by, on average

# -- vocabulary -------------------------------------------------------------------------------

_QUALIFIERS = (
    "Adaptive", "Asynchronous", "Batched", "Causal", "Chunked", "Contrastive", "Curriculum",
    "Distributed", "Dynamic", "Incremental", "Layerwise", "Low_Rank", "Mixed_Precision",
    "Multi_Task", "Offline", "Paged", "Parallel", "Prefix", "Quantized", "Sharded", "Sparse",
    "Streaming", "Structured", "Supervised", "Tokenwise", "Weighted", "Zero_Shot", "Federated",
    "Hierarchical", "Instruction", "Preference", "Retrieval", "Semantic", "Speculative",
    "Stochastic", "Temporal", "Vectorized", "Warm_Start", "Gradient", "Rotary",
)
_CONCEPTS = (
    "Adapter_Training", "Attention", "Batching", "Caching", "Checkpointing", "Data_Formatting",
    "Data_Loading", "Deduplication", "Distillation", "Embedding", "Evaluation", "Export",
    "Filtering", "Fine_Tuning", "Inference", "Initialization", "Labeling", "Merging",
    "Model_Loading", "Monitoring", "Normalization", "Optimization", "Packing", "Pruning",
    "Quantization", "Ranking", "Regularization", "Sampling", "Scheduling", "Serving",
    "Sharding", "Tokenization", "Validation", "Warmup", "Chunking", "Indexing", "Decoding",
    "Alignment", "Augmentation", "Calibration",
)
_HEURISTIC_HEADS = (
    "Gradient_Checkpointing", "Packing_Short_Sequences", "Small_Learning_Rate", "Early_Stopping",
    "Pin_Memory", "Bucket_By_Length", "Freeze_Embeddings", "Warmup_Steps", "Clip_Gradients",
    "Cache_Tokenized_Data", "Use_BF16", "Shuffle_Each_Epoch", "Log_Every_Step", "Seed_Everything",
    "Limit_Context_Length", "Prefer_Flash_Attention", "Offload_Optimizer", "Merge_Before_Export",
    "Validate_Schema_Early", "Batch_Size_Search", "Monitor_GPU_Memory", "Deduplicate_Prompts",
    "Lower_Rank_First", "Evaluate_On_Holdout", "Retry_With_Backoff",
)
_HEURISTIC_TAILS = (
    "Optimization", "Rule", "Practice", "Tip", "Guard", "Default", "Check", "Trick",
)
_WORKFLOW_VERBS = (
    "Fine_Tuning", "Training", "Serving", "Evaluating", "Deploying", "Distilling", "Indexing",
    "Quantizing", "Benchmarking", "Aligning", "Pretraining", "Merging", "Exporting",
)
_WORKFLOW_OBJECTS = (
    "Llama_Models", "Vision_Transformers", "Embedding_Models", "Speech_Recognizers",
    "Code_Assistants", "Retrieval_Pipelines", "Diffusion_Models", "Chat_Agents", "Rerankers",
    "Tabular_Classifiers", "Summarizers", "Translation_Models", "Mixture_of_Experts_Models",
)
_WORKFLOW_MEANS = (
    "LoRA", "QLoRA", "DeepSpeed", "FSDP", "vLLM", "PEFT", "ONNX_Runtime", "TensorRT",
    "Accelerate", "Ray", "JAX", "Triton", "LangChain", "Unsloth",
)
_DOMAINS = (
    "LLMs", "Fine_Tuning", "LLM_Ops", "Data_Engineering", "Training", "Inference", "Evaluation",
    "Computer_Vision", "NLP", "Agents", "Retrieval", "Optimization", "Distributed_Computing",
    "Quantization", "Speech",
)
_SOURCES = (
    ("Repo", "HuggingFace Examples", "https://github.com/huggingface/transformers/tree/main/examples"),
    ("Repo", "PEFT", "https://github.com/huggingface/peft"),
    ("Repo", "vLLM", "https://github.com/vllm-project/vllm"),
    ("Repo", "DeepSpeed Examples", "https://github.com/microsoft/DeepSpeedExamples"),
    ("Repo", "LangChain", "https://github.com/langchain-ai/langchain"),
    ("Blog", "Fine-tuning Llama 2", "https://www.philschmid.de/sagemaker-llama2-qlora"),
    ("Blog", "Making LLMs even more accessible", "https://huggingface.co/blog/4bit-transformers-bitsandbytes"),
    ("Blog", "Efficient Training on a Single GPU", "https://huggingface.co/docs/transformers/perf_train_gpu_one"),
    ("Blog", "Serving LLMs at Scale", "https://blog.vllm.ai/2023/06/20/vllm.html"),
    ("Paper", "LoRA: Low-Rank Adaptation of Large Language Models", "https://arxiv.org/abs/2106.09685"),
    ("Paper", "QLoRA: Efficient Finetuning of Quantized LLMs", "https://arxiv.org/abs/2305.14314"),
    ("Paper", "Efficient Memory Management for LLM Serving", "https://arxiv.org/abs/2309.06180"),
    ("Paper", "FlashAttention", "https://arxiv.org/abs/2205.14135"),
    ("Paper", "ZeRO: Memory Optimizations", "https://arxiv.org/abs/1910.02054"),
)

# Sentence templates: {v} verb, {o} object, {t} technique, {g} goal, {c} constraint.
_TEMPLATES = (
    "{V} the {o} with {t} to {g}.",
    "This step uses {t} so that the pipeline can {g} {c}.",
    "Before moving on, {v} the {o} and confirm that the run can {g}.",
    "The recommended setting is to {v} the {o} once and reuse it, which helps to {g}.",
    "When {c2}, {v} the {o} with {t} instead of the default path.",
    "It is safe to {v} the {o} in place; the next step expects it to {g}.",
    "Use {t} here: it lets you {g} without changing the {o}.",
    "The following step reads the {o} from here, so {v} it carefully.",
    "Teams usually {v} the {o} on a small sample first to check that {t} behaves as expected.",
    "A common mistake is to skip this and {v} the {o} later, which makes it harder to {g}.",
    "With {t}, the {o} can be processed {c} while keeping results reproducible.",
    "Record the configuration used to {v} the {o} so that later runs can {g}.",
)
_BULLET_TEMPLATES = (
    "* {V} the {o} before training starts",
    "* Prefer {t} when you need to {g}",
    "* Keep the {o} under version control",
    "* {V} the {o} {c}",
    "* Check that the run can {g} after this step",
    "* Avoid mixing {t} with a second strategy for the {o}",
)
_VERBS = (
    "load", "normalize", "tokenize", "shard", "cache", "validate", "quantize", "merge", "export",
    "inspect", "filter", "pack", "checkpoint", "profile", "evaluate", "freeze", "initialize",
    "compile", "stream", "batch", "deduplicate", "schedule", "monitor", "benchmark",
)
_OBJECTS = (
    "dataset", "base model", "tokenizer", "adapter weights", "optimizer state", "prompt template",
    "evaluation split", "training config", "checkpoint", "embedding index", "attention mask",
    "learning rate schedule", "model card", "inference server", "gradient buffers",
    "validation metrics", "data loader", "KV cache", "merged weights", "reward model",
)
_TECHNIQUES = (
    "4-bit NF4 quantization", "gradient checkpointing", "LoRA adapters", "mixed precision (bf16)",
    "sequence packing", "paged attention", "ZeRO stage 3", "FlashAttention", "cosine decay",
    "dynamic padding", "tensor parallelism", "speculative decoding", "early stopping",
    "a streaming data loader", "a cached tokenizer", "deterministic seeding",
)
_GOALS = (
    "fit the model on a single 24GB GPU", "reduce memory use", "keep throughput high",
    "avoid silent data loss", "reproduce the reported numbers", "shorten each epoch",
    "serve requests with low latency", "compare runs fairly", "catch formatting errors early",
    "keep the adapter small", "stay within the context window", "resume after a crash",
)
_CONSTRAINTS = (
    "on consumer hardware", "across several nodes", "within a fixed budget", "in a single pass",
    "without extra dependencies", "for long documents", "under heavy load", "in production",
)
_CONDITIONS = (
    "memory is tight", "the dataset is very large", "latency matters", "labels are noisy",
    "the model is already quantized", "several GPUs are available", "inputs vary in length",
)


@lru_cache(maxsize=8)
def _pools(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences and bullets for one seed, built once: the per-page cost is picking from them."""
    rng = random.Random(f"pools:{seed}")

    def fill(template: str) -> str:
        verb = rng.choice(_VERBS)
        return template.format(
            v=verb, V=verb.capitalize(), o=rng.choice(_OBJECTS), t=rng.choice(_TECHNIQUES),
            g=rng.choice(_GOALS), c=rng.choice(_CONSTRAINTS), c2=rng.choice(_CONDITIONS))

    sentences = tuple(fill(rng.choice(_TEMPLATES)) for _ in range(SENTENCE_POOL))
    bullets = tuple(fill(rng.choice(_BULLET_TEMPLATES)) for _ in range(BULLET_POOL))
    return sentences, bullets


# -- names ------------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _combined_names(parts: tuple[tuple[str, ...], ...], count: int, seed: int,
                    salt: str) -> tuple[str, ...]:
    """``count`` unique names: the cross product of ``parts`` in a seeded order, then suffixed."""
    combos = [()]  # type: list[tuple[str, ...]]
    for options in parts:
        combos = [c + (o,) for c in combos for o in options]
    random.Random(f"{salt}:{seed}").shuffle(combos)
    names = []
    for i in range(count):
        base = "_".join(combos[i % len(combos)])
        round_ = i // len(combos)
        names.append(base if round_ == 0 else f"{base}_{round_ + 1}")
    return tuple(names)


def principle_names(count: int, seed: int = 0) -> tuple[str, ...]:
    """The shared principle pool (``Low_Rank_Quantization``...), unique names."""
    return _combined_names((_QUALIFIERS, _CONCEPTS), count, seed, "principle")


def heuristic_names(count: int, seed: int = 0) -> tuple[str, ...]:
    """The shared heuristic pool (``Gradient_Checkpointing_Optimization``...), unique names."""
    return _combined_names((_HEURISTIC_HEADS, _HEURISTIC_TAILS), count, seed, "heuristic")


def default_pool_sizes(count: int) -> tuple[int, int]:
    """Principle and heuristic pool sizes for ``count`` workflows: enough to share, not too few."""
    return max(20, count // 5), max(10, count // 10)


def _workflow_title(i: int, rng: random.Random) -> str:
    # The index keeps titles unique however many pages are asked for.
    return (f"{rng.choice(_WORKFLOW_VERBS)}_{rng.choice(_WORKFLOW_OBJECTS)}_with_"
            f"{rng.choice(_WORKFLOW_MEANS)}_{i:06d}")


# -- pages ------------------------------------------------------------------------------------

def _table(rng: random.Random) -> list[str]:
    sources = rng.sample(_SOURCES, rng.randint(1, 3))
    domains = rng.sample(_DOMAINS, rng.randint(1, 3))
    date = (f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d} GMT")
    return [
        TABLE_OPEN, "|-", "! Knowledge Sources", "|",
        *(f"* [[source::{kind}|{title}|{url}]]" for kind, title, url in sources),
        "|-", "! Domains", "| " + ", ".join(f"[[domain::{d}]]" for d in domains),
        "|-", "! Last Updated", f"| [[last_updated::{date}]]", "|}",
    ]


def _fill(rng: random.Random, sentences: tuple[str, ...], bullets: tuple[str, ...],
          budget: int) -> str:
    """Paragraphs of sentences, now and then a short bullet list, of about ``budget`` bytes."""
    lines: list[str] = []
    paragraph: list[str] = []
    used = 0
    choice = rng.choice
    random_ = rng.random
    while used < budget:
        if paragraph and random_() < 0.12:
            lines.append(" ".join(paragraph))
            paragraph = []
            items = [choice(bullets) for _ in range(rng.randint(2, 4))]
            lines.append("\n".join(items))
            used += sum(len(item) + 1 for item in items) + 2
        else:
            sentence = choice(sentences)
            paragraph.append(sentence)
            used += len(sentence) + 1
            if len(paragraph) >= 4 and random_() < 0.3:
                lines.append(" ".join(paragraph))
                paragraph = []
                used += 1
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n\n".join(lines)


def workflow_page(i: int, seed: int = 0, size: int = 6000, principles: int = 20,
                  heuristics: int = 10) -> tuple[str, str]:
    """Workflow page number ``i`` of a seeded wiki: (title, wikitext). Independent of other pages."""
    rng = random.Random(seed * 1_000_003 + i)
    sentences, bullets = _pools(seed)
    principle_pool = principle_names(principles, seed)
    heuristic_pool = heuristic_names(heuristics, seed)
    title = _workflow_title(i, rng)

    n_steps = rng.randint(MIN_STEPS, MAX_STEPS)
    targets = rng.sample(principle_pool, min(n_steps, len(principle_pool)))
    while len(targets) < n_steps:  # a tiny pool: repeat principles rather than fail
        targets.append(rng.choice(principle_pool))
    names = [target.replace("_", " ") for target in targets]
    tips = rng.sample(heuristic_pool, min(rng.randint(1, 4), len(heuristic_pool)))

    overview = (f"End-to-end process for {title.rsplit('_', 1)[0].replace('_', ' ').lower()} "
                f"{rng.choice(_CONSTRAINTS)}.")
    diagram = ["{{#mermaid:graph TD"]
    diagram += [f"    {NODE_IDS[0]}[{names[0]}] --> {NODE_IDS[1]}[{names[1]}]"]
    diagram += [f"    {NODE_IDS[k]} --> {NODE_IDS[k + 1]}[{names[k + 1]}]"
                for k in range(1, n_steps - 1)]
    diagram.append("}}")
    related = [f"* [[step::Principle:{t}]] - Step {k}" for k, t in enumerate(targets, 1)]
    heads = [f"=== Step {k}: {name} ===\n[[step::Principle:{target}]]"
             for k, (name, target) in enumerate(zip(names, targets), 1)]

    # Everything but the body text first; the body text then shares what is left of the size
    # budget (description 15%, usage 10%, the steps the rest). ``_fill`` overshoots by about
    # half a sentence, which each share gives back up front.
    usage_lead = (f"Execute this workflow when {rng.choice(_CONDITIONS)} and you need to "
                  f"{rng.choice(_GOALS)}.")
    parts = ["\n".join(_table(rng)), "",
             "== Overview ==", overview, "",
             "=== Description ===", "", "",
             "=== Usage ===", usage_lead, "",
             "== Execution Steps =="]
    description_at, usage_at = 6, 9
    step_at = []
    for head in heads:
        step_at.append(len(parts))
        parts += [head, ""]
    parts += ["== Execution Diagram ==", "\n".join(diagram), "",
              "== Related Pages ==", "=== Execution Steps ===", "\n".join(related), "",
              "=== Tips and Tricks ===",
              "\n".join(f"* [[uses_heuristic::Heuristic:{h}]]" for h in tips)]
    # Each part is followed by one newline; each step head by one more before its body.
    budget = size - sum(len(part) + 1 for part in parts) - len(heads) - 1
    parts[description_at] = _fill(rng, sentences, bullets, budget * 15 // 100 - _SLACK)
    parts[usage_at] += " " + _fill(rng, sentences, bullets, budget * 10 // 100 - _SLACK)
    per_step = budget * 75 // 100 // n_steps - _SLACK
    for at in step_at:
        parts[at] += "\n" + _fill(rng, sentences, bullets, per_step)
    return title, "\n".join(parts) + "\n"


def generate_pages(count: int, seed: int = 0, size: int = 6000, *,
                   principles: int | None = None,
                   heuristics: int | None = None) -> Iterator[tuple[str, str]]:
    """``count`` Workflow pages as (title, wikitext), deterministic for ``seed``.

    Step targets are drawn from ``principles`` shared principle names (default: see
    ``default_pool_sizes``); Tips and Tricks from ``heuristics`` heuristic names.
    """
    default_p, default_h = default_pool_sizes(count)
    principles = principles or default_p
    heuristics = heuristics or default_h
    for i in range(count):
        yield workflow_page(i, seed, size, principles, heuristics)


def _small_page(kind: str, name: str, rng: random.Random, sentences: tuple[str, ...]) -> str:
    overview = f"{kind} describing {name.replace('_', ' ').lower()} {rng.choice(_CONSTRAINTS)}."
    description = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
    return "\n".join(["\n".join(_table(rng)), "", "== Overview ==", overview, "",
                      "=== Description ===", description]) + "\n"


def generate_principles(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """The principle pool's pages: a small metadata table, Overview, Description."""
    sentences, _ = _pools(seed)
    for i, name in enumerate(principle_names(count, seed)):
        yield name, _small_page("Principle", name, random.Random(f"p:{seed}:{i}"), sentences)


def generate_heuristics(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """The heuristic pool's pages: a small metadata table, Overview, Description."""
    sentences, _ = _pools(seed)
    for i, name in enumerate(heuristic_names(count, seed)):
        yield name, _small_page("Heuristic", name, random.Random(f"h:{seed}:{i}"), sentences)


def write_wiki(out_dir: Path, workflows: int, principles: int | None = None,
               heuristics: int | None = None, seed: int = 0, size: int = 6000) -> dict[str, int]:
    """Write a wiki folder tree; return the number of files written per folder."""
    default_p, default_h = default_pool_sizes(workflows)
    principles = principles or default_p
    heuristics = heuristics or default_h
    counts: dict[str, int] = {}
    batches = (
        ("workflows", generate_pages(workflows, seed, size, principles=principles,
                                     heuristics=heuristics)),
        ("principles", generate_principles(principles, seed)),
        ("heuristics", generate_heuristics(heuristics, seed)),
    )
    for folder, pages in batches:
        target = out_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        n = 0
        for title, text in pages:
            (target / f"{title}{EXTENSION}").write_bytes(text.encode("utf-8"))
            n += 1
        counts[folder] = n
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic wiki of Workflow pages.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--workflows", type=int, required=True, metavar="N")
    parser.add_argument("--principles", type=int, default=None, metavar="M",
                        help="principle pool size (default: max(20, N/5))")
    parser.add_argument("--heuristics", type=int, default=None, metavar="K",
                        help="heuristic pool size (default: max(10, N/10))")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=6000, help="bytes per workflow page")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_wiki(args.out_dir, args.workflows, args.principles, args.heuristics,
                        args.seed, args.size)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {folder}" for folder, n in counts.items())
    print(f"wrote {summary} to {args.out_dir} in {elapsed:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
