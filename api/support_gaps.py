"""The Dutch advice of the support bundle: what the answer lacks, and whom the municipality can ask instead.

Copy for people, derived from a bundle the query layer gathered (`api.queries.support.support_bundle`).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.models import PolicyStatus
from api.models.municipalities import SAME_SAFETY_REGION
from api.queries.support_bundle import SupportBundle


@dataclass(frozen=True)
class Gap:
    """Something the answer lacks, and what the municipality can do about it (Dutch)."""

    code: str
    message: str


def gaps_of(bundle: SupportBundle) -> list[Gap]:
    """What the bundle lacks, each with what the municipality can do about it (Dutch)."""
    m = bundle.municipality
    region, unit = m.safety_region.name, m.police_unit.name
    gaps: list[Gap] = []
    unconfirmed = [h.name for h in bundle.safety_houses if h.coverage == SAME_SAFETY_REGION]
    if unconfirmed and len(unconfirmed) == len(bundle.safety_houses):
        gaps.append(
            Gap(
                "safety-house-unconfirmed",
                f"Geen bron noemt {m.name} in het werkgebied van een Veiligheidshuis. {', '.join(unconfirmed)} "
                f"ligt in dezelfde veiligheidsregio ({region}), maar de bron noemt geen werkgebied: vraag het "
                "Veiligheidshuis of het ook voor uw gemeente werkt.",
            )
        )
    if not bundle.safety_houses:
        others = [h.name for h in m.safety_region.safety_houses if h.status.value == "published"]
        why = (
            f"De bronnen van {', '.join(others)} noemen {m.name} niet in het werkgebied."
            if others
            else f"Voor veiligheidsregio {region} is in de Kennisbank nog geen Veiligheidshuis bekend."
        )
        gaps.append(
            Gap(
                "no-safety-house",
                f"Geen Veiligheidshuis gevonden voor {m.name}. {why} Vraag veiligheidsregio {region} of "
                f"politie-eenheid {unit} welk (Zorg- en) Veiligheidshuis voor uw gemeente werkt; het landelijk "
                "netwerk van Zorg- en Veiligheidshuizen kan u ook verder helpen.",
            )
        )
    topic_note = " over de gekozen onderwerpen" if bundle.topics else ""
    if not bundle.totals.experts:
        gaps.append(
            Gap(
                "no-experts",
                f"Geen experts gevonden{topic_note} die voor {m.name} werken. Vraag de adviseurs van de Expertise-unit "
                "Sociale Stabiliteit (ESS) of uw Veiligheidshuis wie u kan helpen"
                + ("; of zoek zonder onderwerp." if bundle.topics else "."),
            )
        )
    if not bundle.totals.approaches:
        gaps.append(
            Gap(
                "no-approaches",
                f"Geen kant-en-klare aanpakken gevonden{topic_note} die passen bij een gemeente van deze omvang. "
                "Vraag de ESS om advies op maat" + ("; of zoek zonder onderwerp." if bundle.topics else "."),
            )
        )
    if bundle.totals.peers and not any(p.policy["status"] == PolicyStatus.ADOPTED for p in bundle.peers):
        gaps.append(
            Gap(
                "peers-from-evidence",
                "Nog geen gemeente in de buurt heeft in de Kennisbank vastgelegd dat zij haar beleid deelt. De "
                "gemeenten hieronder hebben wel openbare stukken over hun aanpak (met bron): neem contact op met hun "
                "afdeling openbare orde en veiligheid om ervaringen uit te wisselen.",
            )
        )
    if not bundle.totals.peers:
        ask = f"veiligheidsregio {region}"
        if bundle.safety_houses:
            ask = f"uw Veiligheidshuis of {ask}"
        gaps.append(
            Gap(
                "no-peers",
                "Nog geen gemeente in de Kennisbank heeft openbare stukken over haar aanpak of een vastgesteld beleid "
                "dat zij wil delen. "
                f"Vraag {ask} welke gemeenten in de buurt al een aanpak hebben.",
            )
        )
    return gaps
