#!/usr/bin/env python3
"""Turns the gathered MoE / vLLM / SGLang serving measurements (moe_serving_gathered.csv: every row as its source
states it, with the source's own words in `notes`) into the bundled calibration files that `headroom validate` and
`headroom calibrate` read:

  Sources/HeadroomCatalog/Resources/calibration/moe_serving.csv          rows the efficiency fits may use
  Sources/HeadroomCatalog/Resources/calibration/moe_serving_holdout.csv  whole runs set aside: never fitted

What it does, row by row (nothing is estimated; a row that cannot be normalised is dropped with its reason, printed):
  - prefixes `notes` with the layout the source states, in the loader's tokens: `TP=n; EP=n; dp-attention;
    max_num_seqs=n; memory_fraction=x;` (from `--tp 8`, `tp8 ep8 enable_attention_dp`, `DEP8`, ...);
  - spells the precision as `FP8 weights, FP8 KV` / `FP8 weights, BF16 KV` (SGLang's and vLLM's `auto` KV dtype is the
    model's 16-bit dtype) / `NVFP4 weights, FP8 KV` / `MXFP4 ...` / `BF16`;
  - writes finite bursts ("all 1000 requests at once") as `QPS=inf` with the request count in notes;
  - drops rows the model cannot predict: speculative decoding (MTP, EAGLE) on, prefill/decode-disaggregated phases,
    multimodal inputs, per-node or prefill-only metrics, unknown request lengths or accelerator counts.
The held-out set is chosen by a hash of the run (source, accelerator, count, framework, lengths, load), so every
metric of a held-out run is held out together; about 30 % of runs.

  python3 scripts/calibration/normalize_moe.py
"""
import csv
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "Sources/HeadroomCatalog/Resources/calibration")


def first_int(patterns, text):
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return int(m.group(1))
    return None


def first_float(patterns, text):
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return float(m.group(1))
    return None


def layout(row):
    text = " ".join([row["notes"], row["framework"], row["system"]])
    dep = first_int([r"\bDEP(\d+)\b"], text)
    tp = first_int([r"--tp(?:-size|_size)?[ =](\d+)", r"\btp[_ ]?size[ =:]?(\d+)", r"\btp(\d+)\b", r"-tp (\d+)",
                    r"\bTP=?(\d+)\b", r"tensor-parallel-size[ =](\d+)", r"\bTEP(\d+)\b"], text)
    ep = first_int([r"--ep(?:-size|_size)?[ =](\d+)", r"\bep[_ ]?size[ =:]?(\d+)", r"\bep(\d+)\b", r"\bEP=?(\d+)\b",
                    r"\bTEP(\d+)\b"], text)
    # "TP8 no DP-attention/EP" in a note says the opposite of what it names: a mention preceded by a negation
    # does not count.
    dp = any(not re.search(r"\b(?:no|without|not)\s+$", text[max(m.start() - 12, 0):m.start()], re.IGNORECASE)
             for m in re.finditer(r"enable[-_]dp[-_]attention|enable_attention_dp|\bDP[ -]attention|attention[ -]DP|"
                                  r"\bDEP\d", text, re.IGNORECASE))
    if dep:
        tp, ep, dp = dep, dep, True
    n = int(row["n_accelerators"]) if row["n_accelerators"].strip().isdigit() else None
    if tp is None:
        tp = n
    if ep is None and re.search(r"enable[-_]expert[-_]parallel", text, re.IGNORECASE):
        ep = tp
    seqs = first_int([r"max_batch_size[ =:]?(\d+)", r"--max-running-requests[ =](\d+)", r"--max-num-seqs[ =](\d+)"], text)
    fraction = first_float([r"free_gpu_mem(?:ory)?_fraction[ =:]?(0\.\d+)", r"--mem-fraction-static[ =](0\.\d+)",
                            r"--gpu-memory-utilization[ =](0\.\d+)", r"mem_fraction_static[ =:]?(0\.\d+)"], text)
    return tp, ep, dp, seqs, fraction


def precision(row):
    text = (row["precision"] + " " + row["notes"]).lower()
    p = row["precision"].lower()
    fp8_kv = bool(re.search(r"fp8 kv|kv[-_ ]cache[-_ ]dtype[ =]?fp8|kv_cache dtype fp8|kv fp8|fp8 \(weights\+kv\)|"
                            r"kv_cache_dtype[ =:]fp8|fp8 attention/kv", text))
    bf16_kv = "bf16 kv" in text
    kv = "FP8 KV" if fp8_kv and not bf16_kv else "BF16 KV"
    if p.startswith("nvfp4") or p.startswith("fp4") or "nvfp4" in p:
        return f"NVFP4 weights, {kv}"
    if p.startswith("mxfp4"):
        return "MXFP4 MoE weights, BF16 attention"
    if p.startswith("fp8"):
        return f"FP8 weights, {kv}"
    if p.startswith("bf16"):
        return "BF16"
    return None


def drop_reason(row):
    text = " ".join([row["notes"], row["scenario"], row["framework"], row["metric"]]).lower()
    if re.search(r"\bno mtp\b|without mtp|mtp off|mtp disabled", text) is None and re.search(
            r"\bmtp\b|speculative|eagle|nextn", text):
        return "speculative decoding (MTP/EAGLE) on"
    if "disaggregat" in text or "phase isolated" in text:
        return "prefill/decode disaggregated phase"
    if "multimodal" in text or "image" in row["notes"].lower() and "images" in row["notes"].lower():
        return "multimodal inputs"
    metric = row["metric"].lower()
    if "per node" in metric or "prefill" in metric or metric.startswith("e2e"):
        return f"metric '{row['metric']}' not modelled"
    if not row["n_accelerators"].strip().isdigit():
        return "accelerator count not stated"
    if not (row["input_len"].strip().isdigit() and row["output_len"].strip().isdigit()):
        return "request lengths not stated"
    if precision(row) is None:
        return f"precision '{row['precision'][:40]}' not stated exactly"
    return None


def load(row):
    load = row["concurrency_or_qps"]
    m = re.match(r"all (\d+) requests at once", load)
    if m:
        return "QPS=inf", int(m.group(1))
    m = re.match(r"qps ([\d.]+)", load)
    if m:
        requests = first_int([r"--num-prompts[ =](\d+)", r"num_prompts[ =:]?(\d+)", r"(\d+) prompts"], row["notes"])
        return f"QPS={m.group(1)}", requests
    m = re.match(r"concurrency (\d+)", load)
    if m and "offline" not in row["scenario"].lower():
        return f"concurrency={m.group(1)}", None
    if "offline" in load.lower() or "offline" in row["scenario"].lower():
        return "all requests queued at once (offline)", None
    return None, None


# Early-2025 releases whose results newer rows of the same stack and accelerator supersede: they predate the
# DeepGEMM / FlashMLA / DeepEP integrations and the schedulers these servers ship now, so fitting today's stacks on
# them would blend two different programs. They are kept, normalised, in scripts/calibration/moe_serving_superseded.csv
# (`headroom validate --calibration` reads it) and never bundled.
SUPERSEDED = [
    ("SGLang v0.4.3", "H200"), ("vLLM v0.7.4", "H200"), ("TensorRT-LLM 0.17", "H200"), ("vLLM v0.7.3", "MI300X"),
    # SGLang's ROCm staging build of 2025-02-12 (dstack, v0.4.3 era): before the AITER MLA-decode and fused-MoE
    # kernels (ROCm/rocm-blogs DeepSeekR1-Part2, 2025-03-21: "MLA decode up to 17x", "fused MoE up to 3x"); the SGLang
    # 0.5.7 / 0.5.9 ROCm cookbook runs on MI300X supersede it.
    ("SGLang rocm/sglang-staging:2025", "MI300X"),
]


ACTUAL = re.compile(r"actual avg (?:in/out ([\d.]+)/([\d.]+)|input ([\d.]+) / avg output ([\d.]+))")


def actual_lengths(row):
    """(input, output) the client reports as its averages, when they differ from the row's stated lengths by > 5 %."""
    m = ACTUAL.search(row["notes"])
    if not m:
        return None
    isl = round(float(m.group(1) or m.group(3)))
    osl = round(float(m.group(2) or m.group(4)))
    stated_in, stated_out = int(row["input_len"]), int(row["output_len"])
    if abs(isl - stated_in) <= 0.05 * isl and abs(osl - stated_out) <= 0.05 * osl:
        return None
    return isl, osl


def superseded(row):
    return any(row["framework"].startswith(f) and a in row["accelerator"] for f, a in SUPERSEDED)


def main():
    source = os.path.join(HERE, "moe_serving_gathered.csv")
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0].keys())
    fit, holdout, dropped, old = [], [], [], []
    # A run that states its median keeps the median: the model's steady state predicts the typical request, and a
    # mean over a run whose first prompts queue behind each other measures the run's start-up as much as the server.
    def run_key(row):
        return (row["source"], row["accelerator"], row["n_accelerators"], row["framework"], row["precision"],
                row["input_len"], row["output_len"], row["concurrency_or_qps"])
    wholes = {(run_key(r), "whole") for r in rows if "whole system" in r["metric"].lower()}
    medians = {(run_key(r), m) for r in rows for m in ("ttft", "tpot") if re.search(r"\bp50\b|median", r["metric"],
               re.IGNORECASE) and m in r["metric"].lower()}
    for index, row in enumerate(rows, start=2):
        reason = drop_reason(row)
        metric = row["metric"].lower()
        if reason is None and "per gpu" in metric and (run_key(row), "whole") in wholes:
            reason = "per-GPU copy of a whole-system figure of the same run"
        if reason is None and "mean" in metric and any(
                m in metric and (run_key(row), m) in medians for m in ("ttft", "tpot")):
            reason = "mean latency of a run whose median is given"
        qps, requests = load(row)
        if reason is None and qps is None:
            reason = f"load '{row['concurrency_or_qps'][:40]}' not modelled"
        if reason is None and qps.startswith("QPS=") and requests is None:
            reason = "request-rate run without a request count"
        if reason:
            dropped.append((index, reason))
            continue
        tp, ep, dp, seqs, fraction = layout(row)
        # TensorRT-LLM's max_batch_size under attention DP is per rank ("max_batch_size 128 (per rank)"): the
        # replica runs tp times as many.
        if seqs and dp and tp and "tensorrt" in row["framework"].lower():
            seqs *= tp
        tokens = [f"TP={tp}"]
        if ep and ep > 1:
            tokens.append(f"EP={ep}")
        if dp:
            tokens.append("dp-attention")
        if seqs:
            tokens.append(f"max_num_seqs={seqs}")
        if fraction:
            tokens.append(f"memory_fraction={fraction}")
        if requests:
            tokens.append(f"{requests} requests")
        out = dict(row)
        # The client's lengths, where its output states them: SGLang's bench_serving `--dataset-name random` draws
        # each length uniformly from [range_ratio × N, N] (default ratio 0.0, so half the nominal N on average), and
        # a run without `--dataset-name` reads ShareGPT whatever the length flags say. The cookbook and DataCrunch
        # rows quote the averages the client printed ("actual avg input 496 / avg output 509"); the model is scored
        # on those, not on the flags.
        actual = actual_lengths(row)
        if actual:
            tokens.append(f"lengths = client's averages {actual[0]}/{actual[1]} (nominal "
                          f"{row['input_len']}/{row['output_len']})")
            out["input_len"], out["output_len"] = str(actual[0]), str(actual[1])
        out["notes"] = "; ".join(tokens) + " | " + row["notes"]
        out["precision"] = precision(row) + " (" + row["precision"] + ")"
        out["concurrency_or_qps"] = qps
        key = "|".join([row["source"], row["accelerator"], row["n_accelerators"], row["framework"], row["precision"],
                        row["input_len"], row["output_len"], row["concurrency_or_qps"]])
        bucket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10
        if superseded(row):
            old.append(out)
        else:
            (holdout if bucket < 3 else fit).append(out)
    for path, table in [(os.path.join(OUT, "moe_serving.csv"), fit),
                        (os.path.join(OUT, "moe_serving_holdout.csv"), holdout),
                        (os.path.join(HERE, "moe_serving_superseded.csv"), old)]:
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(table)
    reasons = {}
    for _, reason in dropped:
        reasons[reason] = reasons.get(reason, 0) + 1
    print(f"{len(rows)} gathered rows: {len(fit)} to fit on, {len(holdout)} held out, {len(old)} superseded, "
          f"{len(dropped)} dropped")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  {count:4d} dropped: {reason}")


if __name__ == "__main__":
    sys.exit(main())
