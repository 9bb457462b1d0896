"""What the shipped handbook must cover, as entry ids: the contract behind tests/test_coverage.py.

`REQUIRED` follows the handbook's coverage list (lifecycle, types, governance, culture,
anti-patterns, FAQ, checklists, references). `SEED_POINTS` maps each point of each source
article in ../shared/seeds/ to the entries that carry it. Removing or renaming one of these
entries fails the tests; `python tests/coverage_map.py` prints the seed table as Markdown.
"""

from __future__ import annotations

STAGES = [
    "stage-recognise-need",
    "stage-build-knowledge",
    "stage-internal-assessment",
    "stage-partner-selection",
    "stage-pilot",
    "stage-onboarding",
    "stage-working-together",
    "stage-value-creation",
    "stage-staying-together",
    "stage-exit",
]

REQUIRED: dict[str, list[str]] = {
    "Lifecycle from recognising the need to exit": STAGES,
    "Partnership types (seed 004)": [
        "reseller-partnership",
        "technology-partnership",
        "strategic-alliance",
        "joint-venture",
    ],
    "Engagement models (seeds 000, 001)": [
        "augmentation-model",
        "guidance-model",
        "long-term-partnership",
        "transactional-body-shop",
    ],
    "Writing down your own operating model (seed 001)": [
        "document-your-operating-model",
        "ready-document-operating-model",
        "vet-share-operating-model",
        "onb-hand-over-operating-model",
        "opm-agile-practice",
        "opm-remote-teams",
        "opm-sdlc",
        "opm-team-composition",
        "opm-roadmap-management",
        "opm-technical-debt",
    ],
    "Governance": [
        "gov-kpi-framework",
        "kpi-framework",
        "gov-cost-reviews",
        "cost-reviews",
        "gov-escalation",
        "same-day-escalation",
        "gov-written-agreements",
        "written-agreements",
        "gov-in-person-visits",
        "in-person-visits",
        "gov-health-checks",
        "health-checks",
        "gov-knowledge-transfer",
        "knowledge-transfer",
        "gov-exit-strategy",
        "exit-strategy",
    ],
    "Culture: the questions of seed 001": [
        "culture-q-channels",
        "culture-q-celebrations",
        "culture-q-meetings",
        "culture-q-blameless",
        "culture-q-product-engineering",
    ],
    "Culture: communication norms of seed 000": [
        "shared-working-language",
        "cameras-on",
        "confirm-agreements",
        "time-zone-overlap",
    ],
    "Culture: transparency, reciprocity, the extra ten percent": [
        "transparency",
        "reciprocity",
        "ten-percent-extra",
    ],
    "Anti-patterns of seed 003": [
        "black-box-agency",
        "agency-lock-in",
        "incongruent-goals",
        "lack-of-onboarding",
    ],
    "Anti-patterns from the other seeds": [
        "sow-only-relationship",
        "one-way-cost-conversation",
        "stale-relationship",
        "inexperienced-talent",
        "partner-not-invested",
        "skipping-the-pilot",
        "decisions-left-in-conversation",
        "no-exit-strategy",
        "box-ticking-alliance",
    ],
    "FAQ: the two questions of seed 003": ["faq-outsource-everything", "faq-agency-standards"],
    "Checklists: vetting, pilot, onboarding, health check, exit (and readiness)": [
        "partnership-readiness-checklist",
        "partner-vetting-checklist",
        "pilot-plan-checklist",
        "onboarding-checklist",
        "partnership-health-check",
        "partner-exit-checklist",
    ],
    "Vetting: the ten considerations of seed 001": [
        "vet-genuine-interest",
        "vet-leadership-reachability",
        "vet-talent-strategy",
        "vet-share-operating-model",
        "vet-cost-reviews",
        "vet-test-experience",
        "vet-domain-expertise",
        "vet-kpi-framework",
        "vet-culture-written",
        "vet-ten-percent-extra",
    ],
    "Vetting: the three questions of seed 002": [
        "vet-define-success",
        "vet-mutual-understanding",
        "vet-same-team",
    ],
    "Vetting: technical due diligence of seed 004": [
        "vet-assess-technology",
        "vet-api-contracts",
        "vet-shared-roadmap",
        "vet-integration-team",
        "vet-exit-strategy",
    ],
    "Onboarding: standards, tech radar and paved roads, channels, access, knowledge transfer": [
        "onb-architecture-standards",
        "onb-tech-radar",
        "onb-paved-roads",
        "onb-join-channels",
        "onb-task-tools",
        "onb-named-accounts",
        "onb-org-owned-assets",
        "onb-knowledge-in-both-directions",
    ],
    "Scorecards: vetting (ten considerations, three questions, due diligence), health, culture, exit": [
        "partner-vetting-scorecard",
        "vsc-long-term-fit",
        "vsc-relationship-questions",
        "vsc-technical-due-diligence",
        "partnership-health-scorecard",
        "culture-fit-scorecard",
        "exit-readiness-scorecard",
    ],
    "References: the five source articles": [
        "ref-decentralized-partners",
        "ref-long-term-partner-considerations",
        "ref-vetting-strategic-partners",
        "ref-partner-management",
        "ref-partnerships-and-alliances",
    ],
    "References: the works they cite": [
        "ref-art-of-partnering",
        "ref-vested-outsourcing",
        "ref-itil-service-level-management",
        "ref-mckinsey-partnership-innovation",
    ],
}

SEED_POINTS: dict[str, dict[str, list[str]]] = {
    "000 · Icalia Labs, decentralized software partners": {
        "Hiring is hard (immigration, scarcity, under-skilled candidates, few local engineers)": [
            "define-partnership-objectives",
            "ready-hiring-context",
        ],
        "Select on culture alignment and expected outcomes": [
            "select-on-culture-and-outcomes",
            "choose-outcome-model",
            "ready-outcome-model",
        ],
        "Two outcome models: augment execution under your control, or add guidance": [
            "augmentation-model",
            "guidance-model",
            "ready-say-model-first",
        ],
        "A quick, small test of low to medium criticality with measurable outcomes": [
            "pilot-project",
            "pilot-low-to-medium-criticality",
            "pilot-write-outcomes",
            "pilot-full-practices",
            "skipping-the-pilot",
        ],
        "The test serves both sides": ["pilot-partner-decides-too"],
        "Visit the partner early; travel is an investment": [
            "first-site-visit",
            "pilot-visit-partner-premises",
            "pilot-travel-as-investment",
        ],
        "Communicate: language, say what you expect, cameras on, recap at the end": [
            "clear-communication",
            "shared-working-language",
            "cameras-on",
            "confirm-agreements",
        ],
        "Written agreements as the source of truth for decisions": [
            "written-agreements",
            "gov-written-agreements",
            "kpi-decisions-recorded",
            "decisions-left-in-conversation",
        ],
        "Transparency and reciprocity": ["transparency", "reciprocity", "transparent-and-reciprocal"],
        "In-person visits every 1.5 to 3 months, in both directions": [
            "in-person-visits",
            "cadence-on-site-visits",
            "gov-in-person-visits",
            "kpi-in-person-cadence",
        ],
        "Choose the region: time zone, cultural affinity, travel": [
            "map-partner-landscape",
            "time-zone-overlap",
            "ready-choose-regions",
        ],
        "The panel itself (ATC, PointB, Amber Gunst)": ["ref-decentralized-partners"],
    },
    "001 · Ten considerations for a long-term partner": {
        "Long-term partnership versus a transactional body shop": [
            "long-term-partnership",
            "transactional-body-shop",
            "ready-long-term-or-transactional",
            "faq-long-term-or-body-shop",
        ],
        "1 Desire and interest; share objectives and roadmap early": [
            "vet-genuine-interest",
            "vet-write-objectives-first",
            "shared-roadmap",
            "partner-not-invested",
        ],
        "2 Mindshare: a same-day (or same-hour) return call": [
            "same-day-escalation",
            "vet-leadership-reachability",
            "kpi-escalation-response",
            "gov-escalation",
        ],
        "A yearly holiday card is a sign of a stale relationship": [
            "stale-relationship",
            "spot-stale-relationship",
            "health-stale-signs",
        ],
        "3 Talent acquisition and retention; proactive backfill; the three-year window": [
            "vet-talent-strategy",
            "kpi-partner-team-stability",
            "health-attrition-and-backfill",
        ],
        "4 Document your operating model (Agile, remote teams, SDLC, teams, roadmap, tech debt)": [
            "document-your-operating-model",
            "opm-agile-practice",
            "opm-sdlc",
            "opm-technical-debt",
            "vet-share-operating-model",
            "onb-hand-over-operating-model",
        ],
        "5 Negotiating on cost, on a set periodic review": [
            "cost-reviews",
            "vet-cost-reviews",
            "gov-cost-reviews",
            "one-way-cost-conversation",
        ],
        "6 Technical experience, not only technical talent": [
            "check-experience-not-only-talent",
            "vet-test-experience",
            "inexperienced-talent",
        ],
        "7 Domain expertise: decide how much it matters": ["vet-domain-expertise", "faq-domain-experience"],
        "8 A KPI framework for continuous improvement, driven by you": [
            "kpi-framework",
            "vet-kpi-framework",
            "gov-kpi-framework",
            "faq-measure-partnership",
        ],
        "9 Cultural fit: write your culture down (the five example questions)": [
            "write-down-your-culture",
            "vet-culture-written",
            "culture-q-channels",
            "culture-q-celebrations",
            "culture-q-meetings",
            "culture-q-blameless",
            "culture-q-product-engineering",
        ],
        "10 The extra ten percent, from both sides": [
            "ten-percent-extra",
            "extra-mile-both-ways",
            "vet-ten-percent-extra",
            "culture-q-extra-mile",
        ],
        "A shared mission; replacing a partner mid-way is costly": [
            "shared-mission",
            "culture-q-mission",
            "renewal-review",
        ],
    },
    "002 · 3 Things to Consider When Vetting Strategic Partners (No Jitter)": {
        "A SOW cannot capture the relationship; treat it as the minimum": [
            "sow-only-relationship",
            "outcome-based-contract",
            "faq-success-beyond-sow",
            "health-sow-floor",
        ],
        "1 What does success look like, and who is responsible for what": [
            "vet-define-success",
            "define-success-upfront",
            "ready-responsibility-split",
        ],
        "2 Do we understand each other (situation, decision-making, trade-offs)": [
            "vet-mutual-understanding",
            "trade-off-criteria",
            "culture-q-trade-offs",
        ],
        "3 Are we on the same team": ["vet-same-team"],
    },
    "003 · Partner Management": {
        "The black box agency": ["black-box-agency"],
        "Agency lock-in": ["agency-lock-in"],
        "Incongruent goals (hours versus value)": ["incongruent-goals"],
        "Lack of onboarding": ["lack-of-onboarding", "onboarding-programme"],
        "Standards and the Tech Radar": ["set-partner-standards", "onb-tech-radar", "gov-standards"],
        "Partners in our channels and task tools": [
            "integrate-into-channels-and-tools",
            "onb-join-channels",
            "onb-task-tools",
        ],
        "Shared success models": ["outcome-based-contract", "gov-shared-success"],
        "Regular strategic health checks": ["health-checks", "gov-health-checks", "partnership-health-check"],
        "Knowledge transfer": ["knowledge-transfer", "gov-knowledge-transfer", "onb-knowledge-transfer"],
        "Partners complement, never replace; ownership stays in-house": ["keep-strategic-ownership"],
        "FAQ: outsource IT completely?": ["faq-outsource-everything"],
        "FAQ: agencies imposing their own standards (paved roads)": [
            "faq-agency-standards",
            "onb-paved-roads",
        ],
        "Reference guide": [
            "ref-art-of-partnering",
            "ref-vested-outsourcing",
            "ref-itil-service-level-management",
        ],
    },
    "004 · Partnership And Alliances": {
        "Why engineering leaders should care (five reasons, McKinsey's 15%)": [
            "define-partnership-objectives",
            "faq-why-engineering-involved",
            "ref-mckinsey-partnership-innovation",
        ],
        "A box-ticking alliance without synergy": ["box-ticking-alliance"],
        "Four types by complexity and investment": [
            "reseller-partnership",
            "technology-partnership",
            "strategic-alliance",
            "joint-venture",
            "faq-choose-partnership-type",
        ],
        "Technical due diligence": ["technical-due-diligence", "vet-assess-technology"],
        "Clear API contracts and documentation": ["vet-api-contracts"],
        "A shared development roadmap": ["shared-roadmap", "vet-shared-roadmap"],
        "A dedicated integration team from both sides; regular communication": [
            "joint-integration-team",
            "role-joint-integration-team",
            "vet-integration-team",
            "vet-integration-communication",
        ],
        "A defined exit strategy": [
            "exit-strategy",
            "vet-exit-strategy",
            "no-exit-strategy",
            "partner-exit-checklist",
        ],
    },
}


def seed_table() -> str:
    """The seed → entry id table, as Markdown."""
    lines = ["| Seed | Point | Entry ids |", "| --- | --- | --- |"]
    for seed, points in SEED_POINTS.items():
        for point, ids in points.items():
            lines.append(f"| {seed} | {point} | {', '.join(f'`{i}`' for i in ids)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(seed_table())
