#!/usr/bin/env python3
"""Turns tabella_bench's JSON output into the markdown tables of bench/RESULTS.md.

usage: report.py BENCH_JSON [--memory-percent P] [--compile-seconds S]

Prints one table (case, rows/s median, ratio to the raw baseline of the same driver and
row count, all from the same run, and the coefficient of variation of rows/s across the
repetitions) and the issue's targets with whether each is met.
"""
import argparse
import json
import re

# The raw client-library baseline of each driver (the table's ratio column). MariaDB has a
# second one, BM_raw_prepared, whose ratio is among the targets.
BASELINE = {"sqlite": "BM_raw_prepared", "postgres": "BM_raw_multi_values_returning",
            "mariadb": "BM_raw_multi_values_returning"}
NAME = re.compile(r"^(?P<case>[^/]+)/(?P<driver>[^/]+)/(?P<rows>\d+)(?:/(?P<arg>\d+))?")


def load(path):
    """({(case, driver, rows, extra argument or None): rows_per_second median or 'error: ...'} in run order,
    {same key: coefficient of variation of rows_per_second across repetitions})."""
    with open(path) as f:
        data = json.load(f)
    results, spread = {}, {}
    for b in data["benchmarks"]:
        m = NAME.match(b["run_name"])
        if not m:
            continue
        key = (m["case"], m["driver"], int(m["rows"]), m["arg"])
        if b.get("error_occurred"):
            results.setdefault(key, "error: " + b.get("error_message", "?"))
        elif b.get("aggregate_name") == "median":
            results[key] = b["rows_per_second"]
        elif b.get("aggregate_name") == "cv":
            spread[key] = b["rows_per_second"]
        elif b.get("run_type") == "iteration" and key not in results:
            results[key] = b["rows_per_second"]
    return data["context"], results, spread


def rate(value):
    if isinstance(value, str):
        return value
    if value >= 1e6:
        return f"{value / 1e6:.2f} M"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k"
    return f"{value:.0f}"


def ratio(results, key, base_case):
    value, base = results.get(key), results.get((base_case, key[1], key[2], None))
    if not isinstance(value, float) or not isinstance(base, float):
        return None
    return value / base


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return f"{r:,.0f}x" if r >= 100 else f"{r:.3g}x"


def table(results, spread):
    lines = ["| case | rows/s (median) | vs raw baseline | cv |", "| --- | ---: | ---: | ---: |"]
    for key, value in results.items():
        case, driver, rows, arg = key
        base = BASELINE.get(driver)
        shown = "baseline" if case == base else fmt_ratio(ratio(results, key, base))
        name = f"{case}/{driver}/{rows}" + (f"/{arg}" if arg is not None else "")
        cv = f"{spread[key] * 100:.0f}%" if key in spread else ""
        if isinstance(value, str):
            lines.append(f"| {name} | {value} | | |")
        else:
            lines.append(f"| {name} | {rate(value)} | {shown} | {cv} |")
    return "\n".join(lines)


def verdict(measured, goal, lower_is_better=False):
    if measured is None:
        return "not measured"
    if goal is None:
        return "no goal"
    met = measured <= goal if lower_is_better else measured >= goal
    return "met" if met else "MISSED"


def largest(results, case, driver):
    sizes = [k[2] for k, v in results.items() if k[0] == case and k[1] == driver and isinstance(v, float)]
    return max(sizes) if sizes else None


def targets(results, memory, compile_s):
    flush = ("BM_session_flush", "sqlite", 100000, None)
    rows = []
    r = ratio(results, flush, "BM_raw_prepared")
    rows.append(("SQLite session flush >= 0.9x raw prepared statement, 100,000 rows", "0.9x", fmt_ratio(r), verdict(r, 0.9)))
    auto_rows = largest(results, "BM_row_by_row_autocommit", "sqlite")
    r = None
    if auto_rows and isinstance(results.get(flush), float):
        r = results[flush] / results[("BM_row_by_row_autocommit", "sqlite", auto_rows, None)]
    rows.append((f"SQLite session flush >= 50x row-by-row autocommit (flush at 100,000 rows; autocommit rate at {auto_rows} rows)",
                 "50x", fmt_ratio(r), verdict(r, 50)))
    pg = ("BM_session_flush", "postgres", 100000, None)
    r = ratio(results, pg, "BM_raw_multi_values_returning")
    rows.append(("PostgreSQL session flush >= 1.0x raw multi-VALUES RETURNING, 100,000 rows", "1.0x", fmt_ratio(r), verdict(r, 1.0)))
    r = ratio(results, ("BM_session_flush_copy", "postgres", 100000, None), "BM_raw_copy")
    rows.append(("Reserved-keys COPY strategy >= 0.8x raw COPY, 100,000 rows", "0.8x", fmt_ratio(r),
                 verdict(r, 0.8)))
    maria = ("BM_session_flush", "mariadb", 100000, None)
    for base, what in (("BM_raw_prepared", "raw prepared single-row INSERT per row"),
                       ("BM_raw_multi_values_returning", "raw multi-VALUES RETURNING")):
        r = ratio(results, maria, base)
        rows.append((f"MariaDB session flush vs {what}, 100,000 rows", "-", fmt_ratio(r), verdict(r, None)))
    rows.append(("Flush memory increase <= 25% of the objects (1,000,000 students)", "25%",
                 "n/a" if memory is None else f"{memory:.1f}%", verdict(memory, 25.0, True)))
    rows.append(("Compile one TU (3 mapped structs, flush, query; -O2) <= 3.0 s", "3.0 s",
                 "n/a" if compile_s is None else f"{compile_s:.2f} s", verdict(compile_s, 3.0, True)))
    lines = ["| target | goal | measured | |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {t} | {g} | {m} | {v} |" for t, g, m, v in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("json")
    parser.add_argument("--memory-percent", type=float)
    parser.add_argument("--compile-seconds", type=float)
    args = parser.parse_args()
    context, results, spread = load(args.json)
    load_avg = ", ".join(f"{x:.2f}" for x in context.get("load_avg", []))
    print(f"Run {context.get('date')} on {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, "
          f"load average at start {load_avg}.\n")
    print(table(results, spread))
    print()
    print(targets(results, args.memory_percent, args.compile_seconds))


if __name__ == "__main__":
    main()
