"""Legends: every class a layer can produce has a colour and a label in English and French."""
from __future__ import annotations

import pytest

from layers import change, emerging, hotspots, nexus_index
from layers.legends import LANGUAGES, LEGENDS, class_colours, legend_entries, legend_text

PRODUCED = {
    "hotspots": set(hotspots.CLASS_NAMES.values()),
    "emerging": set(emerging.CLASSES),
    "nexus_index": {name for _, name in nexus_index.INDEX_CLASSES} | {"none"},
    "change": set(change.CHANGE_CLASSES),
}


@pytest.mark.parametrize("layer", sorted(PRODUCED))
def test_legend_covers_every_class(layer):
    assert set(class_colours(layer)) == PRODUCED[layer]


@pytest.mark.parametrize("layer", sorted(LEGENDS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_and_labels_in_both_languages(layer, lang):
    assert len(legend_text(layer, lang)) > 80
    assert all(label.strip() for _, _, label in legend_entries(layer, lang))
    assert all(colour.startswith("#") and len(colour) == 7 for _, colour, _ in legend_entries(layer, lang))


def test_french_differs_from_english():
    assert all(legend_text(layer, "en") != legend_text(layer, "fr") for layer in LEGENDS)


@pytest.mark.parametrize("layer, lang, message", [("heat", "en", "no legend"), ("hotspots", "de", "language")])
def test_unknown_layer_or_language(layer, lang, message):
    with pytest.raises(ValueError, match=message):
        legend_text(layer, lang)
