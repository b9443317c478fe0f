"""Every crime type has a label (EN and FR), a definition, a category and a distinct colour."""
from __future__ import annotations

import re

from atlas.taxonomy import NEXUS_CATEGORIES, load_taxonomy

UN_NAMED = {"kidnapping_for_ransom", "extortion_illicit_taxation", "cattle_rustling", "piracy",
            "flora_crimes", "non_renewable_resource_crimes", "virtual_asset_financing"}
GITOC_MARKETS = {"human_trafficking", "human_smuggling", "extortion_illicit_taxation", "arms_trafficking",
                 "counterfeit_goods", "excisable_goods", "flora_crimes", "fauna_crimes",
                 "non_renewable_resource_crimes", "heroin_trade", "cocaine_trade", "cannabis_trade",
                 "synthetic_drug_trade", "cyber_dependent_crimes", "financial_crimes"}


def test_every_type_is_complete():
    for ct in load_taxonomy():
        assert ct.label and ct.label_fr and len(ct.definition) > 30, ct.code
        assert ct.nexus_category in NEXUS_CATEGORIES, ct.code
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", ct.colour), ct.code


def test_codes_and_colours_are_unique():
    types = load_taxonomy()
    assert len({t.code for t in types}) == len(types)
    assert len({t.colour.lower() for t in types}) == len(types)


def test_covers_gitoc_markets_and_un_named_categories():
    codes = {t.code for t in load_taxonomy()}
    assert GITOC_MARKETS <= codes
    assert UN_NAMED <= codes
    definitions = " ".join(t.definition.lower() for t in load_taxonomy())
    assert "charcoal" in definitions and "gold" in definitions
