#!/usr/bin/env bash
# An adopter's first day, on a fresh clone of this repository: the edits README and
# CONTRIBUTING describe, all together, then `make check` and `make test`. The engine's tests
# must stay green whatever an organisation does to the handbook it ships.
#
#   bench/adoption_trial.sh [WORKDIR]      (default: a new temporary folder)
#
# Edits: a new site_name; a kind added exactly as CONTRIBUTING's "Add a kind of your own"
# (with a playbook of it); `handbook rename pilot-plan-checklist pilot-checklist`; a FAQ
# question deleted and its URLs retired with `handbook urls --forget` (coverage.yaml edited
# where it required it); repo_url set to the organisation's forge; then `handbook fix`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
clone="$work/handbook"
git clone -q "$repo" "$clone"
cd "$clone"
make --no-print-directory .venv/.dev >/dev/null
hb=.venv/bin/handbook
step() { printf '\n== %s\n' "$*"; }

step "site_name"
sed -i 's/^site_name: Partner Handbook$/site_name: Acme Partner Handbook/' mkdocs.yml

step "a kind of our own, as CONTRIBUTING says"
mkdir -p kinds
.venv/bin/python - <<'EOF'
import re
from pathlib import Path
guide = Path("CONTRIBUTING.md").read_text(encoding="utf-8")
blocks = re.findall(r"Write `(kinds/[\w.]+)`:\n\n```\w+\n(.*?)```", guide, re.S)
for path, text in blocks:
    Path(path).write_text(text, encoding="utf-8")
    print("wrote", path)
EOF
$hb fix
$hb new runbook partner-outage
sed -i "s/^title: Write the title here./title: Partner outage/; s/^summary: Write the summary here./summary: What to do when a partner's service is down./; s/^service: Write the service here./service: Partner API/; s/^  title: Write the title here./  title: Call the partner's duty contact/; s/^  action: Write the action here./  action: Phone the number in the contract's contact list./" playbooks/partner-outage.yaml
echo "references: [ref-iso-44001]" >> playbooks/partner-outage.yaml
$hb fix

step "rename"
$hb rename pilot-plan-checklist pilot-checklist

step "delete an entry and retire its URLs"
.venv/bin/python - <<'EOF'
from pathlib import Path
import re
faq = Path("playbooks/partner-faq.yaml")
text = faq.read_text(encoding="utf-8")
# the question 'faq-agency-standards', up to the next question
cut = re.search(r"\n      - id: faq-agency-standards\n.*?(?=\n      - id: |\n  - id: |\Z)", text, re.S)
faq.write_text(text[: cut.start()] + text[cut.end():], encoding="utf-8")
# what `handbook check` then names: the links to it (a `see:` list) and coverage.yaml's lines
for path in [*Path("playbooks").rglob("*.yaml"), Path("coverage.yaml")]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n *- faq-agency-standards(?=\n)", "", text)
    text = re.sub(r",?\s*faq-agency-standards(?=[,\]])", "", text).replace("[, ", "[")
    path.write_text(text, encoding="utf-8")
EOF
for manifest in published-urls.txt published-urls-partners.txt; do
  audience=internal; [ "$manifest" = published-urls-partners.txt ] && audience=partners
  { grep -E "faq-agency-standards$" "$manifest" || true; } | while read -r url _; do
    $hb urls --audience "$audience" --forget "$url"
  done
done

step "repo_url"
printf '\nrepo_url: https://git.acme.internal/handbook/partner-handbook\nedit_uri: edit/main/\n' >> mkdocs.yml

step "handbook fix"
$hb fix

step "make check"
make --no-print-directory check || echo "make check: FAILED"

step "make test"
start=$(date +%s)
make --no-print-directory test && echo "make test: passed in $(( $(date +%s) - start )) s" || echo "make test: FAILED"
