"""Reads a schemathesis run's output and fails on every failure but the
refusals of valid requests that tests/api/allowed-refusals.txt lists (a rule
no schema can state), each by command and the start of its message."""
import re
import sys

run_text = open(sys.argv[1], encoding="utf-8").read()
allowed = []
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        command, _, rest = line.partition(" | ")
        message = rest.split(" | ")[0]
        allowed.append((command.strip(), message.strip()))

blocks = re.split(r"\n_{3,} (POST|GET) (\S+) _{3,}\n", run_text)
failures, excused = [], []
for i in range(1, len(blocks) - 2, 3):
    operation = blocks[i + 1].rsplit("/", 1)[-1]
    body = blocks[i + 2]
    for case in re.split(r"\n\d+\. Test Case ID: ", body):
        kinds = re.findall(r"^- (ST\d+ [^\n]+)", case, re.M)
        if not kinds:
            continue
        message = re.search(r'"message":"([^"]*)"', case)
        message = message.group(1) if message else ""
        only_rejected = all(k.startswith("ST202") for k in kinds)
        if only_rejected and any(c == operation and message.startswith(m) for c, m in allowed):
            excused.append(operation)
            continue
        failures.append(f"{operation}: {'; '.join(kinds)}: {message[:140]}")

summary = re.search(r"Test cases:\n\s*(\d+) generated", run_text)
generated = summary.group(1) if summary else "?"
if "API Operations:" not in run_text:
    print(run_text[-3000:])
    print("The schema run did not finish.")
    sys.exit(1)
print(f"API against its document: {generated} requests; {len(excused)} refusals of rules no schema states (allowed); {len(failures)} failures.")
for f in failures:
    print("  " + f)
sys.exit(1 if failures else 0)
