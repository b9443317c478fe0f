"""What the colours of each analysis layer mean, in plain words, in English and French.

For each layer: the column the map colours, the classes in display order with a colour and a short
label, and a legend text for a reader who is not a statistician. The UI and the exports read these;
layers/*.py only produce the class columns.
"""
from __future__ import annotations

LANGUAGES = ("en", "fr")

# Diverging red-blue for hot/cold (ColorBrewer RdBu, colour-blind safe), neutral grey for nothing.
_HOT = ("#b2182b", "#ef8a62", "#fddbc7")
_COLD = ("#2166ac", "#67a9cf", "#d1e5f0")
_NEUTRAL = "#f0f0f0"

LEGENDS: dict[str, dict] = {
    "hotspots": {
        "column": "hotspot_class",
        "classes": [
            ("hot_99", _HOT[0], {"en": "Hot spot, 99 % confidence", "fr": "Point chaud, confiance 99 %"}),
            ("hot_95", _HOT[1], {"en": "Hot spot, 95 % confidence", "fr": "Point chaud, confiance 95 %"}),
            ("hot_90", _HOT[2], {"en": "Hot spot, 90 % confidence", "fr": "Point chaud, confiance 90 %"}),
            ("not_significant", _NEUTRAL, {"en": "Not significant", "fr": "Non significatif"}),
            ("cold_90", _COLD[2], {"en": "Cold spot, 90 % confidence", "fr": "Point froid, confiance 90 %"}),
            ("cold_95", _COLD[1], {"en": "Cold spot, 95 % confidence", "fr": "Point froid, confiance 95 %"}),
            ("cold_99", _COLD[0], {"en": "Cold spot, 99 % confidence", "fr": "Point froid, confiance 99 %"}),
        ],
        "text": {
            "en": ("Red cells sit in a cluster of unusually many events: the cell and its neighbours together "
                   "hold more events than chance would put there (Getis-Ord Gi*). Darker red means more "
                   "confidence that the cluster is not a fluke. Blue cells sit in a cluster of unusually few "
                   "events. Grey: no clear pattern. A hot spot says where events concentrate, not why."),
            "fr": ("Les cellules rouges se trouvent dans un regroupement inhabituel d'événements : la cellule et "
                   "ses voisines en comptent ensemble plus que le hasard n'en placerait là (Gi* de Getis-Ord). "
                   "Plus le rouge est foncé, plus on peut être sûr que ce regroupement n'est pas dû au hasard. "
                   "Les cellules bleues se trouvent dans un regroupement inhabituellement pauvre en événements. "
                   "Gris : pas de tendance nette. Un point chaud dit où les événements se concentrent, pas pourquoi."),
        },
    },
    "emerging": {
        "column": "emerging_class",
        "classes": [
            ("new_hot", "#67000d", {"en": "New hot spot", "fr": "Nouveau point chaud"}),
            ("consecutive_hot", "#a50f15", {"en": "Consecutive hot spot", "fr": "Point chaud consécutif"}),
            ("intensifying_hot", "#cb181d", {"en": "Intensifying hot spot", "fr": "Point chaud qui s'intensifie"}),
            ("persistent_hot", "#ef3b2c", {"en": "Persistent hot spot", "fr": "Point chaud persistant"}),
            ("diminishing_hot", "#fb6a4a", {"en": "Diminishing hot spot", "fr": "Point chaud qui s'atténue"}),
            ("sporadic_hot", "#fc9272", {"en": "Sporadic hot spot", "fr": "Point chaud sporadique"}),
            ("oscillating_hot", "#fcbba1", {"en": "Oscillating hot spot", "fr": "Point chaud oscillant"}),
            ("historical_hot", "#fee0d2", {"en": "Historical hot spot", "fr": "Ancien point chaud"}),
            ("no_pattern", _NEUTRAL, {"en": "No pattern", "fr": "Aucune tendance"}),
            ("historical_cold", "#deebf7", {"en": "Historical cold spot", "fr": "Ancien point froid"}),
            ("oscillating_cold", "#c6dbef", {"en": "Oscillating cold spot", "fr": "Point froid oscillant"}),
            ("sporadic_cold", "#9ecae1", {"en": "Sporadic cold spot", "fr": "Point froid sporadique"}),
            ("diminishing_cold", "#6baed6", {"en": "Diminishing cold spot", "fr": "Point froid qui s'atténue"}),
            ("persistent_cold", "#4292c6", {"en": "Persistent cold spot", "fr": "Point froid persistant"}),
            ("intensifying_cold", "#2171b5", {"en": "Intensifying cold spot", "fr": "Point froid qui s'intensifie"}),
            ("consecutive_cold", "#08519c", {"en": "Consecutive cold spot", "fr": "Point froid consécutif"}),
            ("new_cold", "#08306b", {"en": "New cold spot", "fr": "Nouveau point froid"}),
        ],
        "text": {
            "en": ("How each cell's hot or cold spot status changed year by year (or quarter by quarter). "
                   "New: a hot spot for the first time in the latest period. Consecutive: hot in the latest "
                   "few periods in a row, never before. Intensifying / diminishing: hot almost all the time "
                   "and getting stronger / weaker. Persistent: hot almost all the time with no clear trend. "
                   "Sporadic: on and off. Oscillating: hot now but cold at some earlier time. Historical: hot "
                   "almost all the time but not any more. Blue classes mirror these for cold spots."),
            "fr": ("Comment le statut de point chaud ou froid de chaque cellule a évolué d'année en année (ou de "
                   "trimestre en trimestre). Nouveau : point chaud pour la première fois lors de la dernière "
                   "période. Consécutif : chaud lors des dernières périodes d'affilée, jamais avant. "
                   "S'intensifie / s'atténue : chaud presque tout le temps et de plus en plus / de moins en "
                   "moins. Persistant : chaud presque tout le temps sans tendance nette. Sporadique : par "
                   "intermittence. Oscillant : chaud aujourd'hui mais froid à un moment antérieur. Ancien : "
                   "chaud presque tout le temps mais plus maintenant. Les classes bleues sont l'équivalent "
                   "pour les points froids."),
        },
    },
    "nexus_index": {
        "column": "nexus_class",
        "classes": [
            ("very_high", "#54278f", {"en": "Very high (75-100)", "fr": "Très élevé (75-100)"}),
            ("high", "#756bb1", {"en": "High (50-75)", "fr": "Élevé (50-75)"}),
            ("medium", "#9e9ac8", {"en": "Medium (25-50)", "fr": "Moyen (25-50)"}),
            ("low", "#cbc9e2", {"en": "Low (0-25)", "fr": "Faible (0-25)"}),
            ("none", _NEUTRAL, {"en": "None (no overlap)", "fr": "Nul (pas de chevauchement)"}),
        ],
        "text": {
            "en": ("Darker purple marks places where terrorism activity and organized-crime activity or a "
                   "trafficking corridor are found together. The index is 0 where either side is missing, "
                   "and 100 in the place where both are strongest on this map. Recent events count more "
                   "(an event loses half its weight every half-life). The scale is relative to the current "
                   "filters, not an absolute measure of risk."),
            "fr": ("Le violet foncé signale les lieux où l'activité terroriste coïncide avec une activité de "
                   "criminalité organisée ou un corridor de trafic. L'indice vaut 0 là où l'un des deux côtés "
                   "manque, et 100 là où les deux sont les plus forts sur cette carte. Les événements récents "
                   "comptent davantage (un événement perd la moitié de son poids à chaque demi-vie). L'échelle "
                   "est relative aux filtres en cours, ce n'est pas une mesure absolue du risque."),
        },
    },
    "corridors": {
        "column": "events_per_100km",
        "classes": [],
        "text": {
            "en": ("Each line is a documented trafficking corridor (approximate route). Its colour shows how "
                   "many of the selected events happened within the chosen distance of it, per 100 km of "
                   "route. Distances are measured in metres on the ground, not in map degrees."),
            "fr": ("Chaque ligne est un corridor de trafic documenté (tracé approximatif). Sa couleur indique "
                   "combien des événements sélectionnés se sont produits à moins de la distance choisie, pour "
                   "100 km de tracé. Les distances sont mesurées en mètres au sol, pas en degrés."),
        },
    },
    "corridor_units": {
        "column": "events",
        "classes": [],
        "text": {
            "en": ("Cells coloured by the number of selected events that happened within the chosen distance "
                   "of a trafficking corridor. Darker means more such events. Cells with none are not drawn."),
            "fr": ("Cellules colorées selon le nombre d'événements sélectionnés survenus à moins de la distance "
                   "choisie d'un corridor de trafic. Plus c'est foncé, plus il y en a. Les cellules sans "
                   "événement de ce type ne sont pas dessinées."),
        },
    },
    "change": {
        "column": "change_class",
        "classes": [
            ("large_increase", "#b2182b", {"en": "Large increase (over +25 %)", "fr": "Forte hausse (plus de +25 %)"}),
            ("moderate_increase", "#ef8a62", {"en": "Moderate increase (+10 to +25 %)",
                                              "fr": "Hausse modérée (+10 à +25 %)"}),
            ("limited_change", _NEUTRAL, {"en": "Limited change (-25 to +10 %)", "fr": "Évolution limitée (-25 à +10 %)"}),
            ("large_decrease", "#2166ac", {"en": "Large decrease (below -25 %)", "fr": "Forte baisse (moins de -25 %)"}),
            ("new_activity", "#762a83", {"en": "New activity (none before)", "fr": "Activité nouvelle (aucune avant)"}),
            ("no_events", "#ffffff", {"en": "No events", "fr": "Aucun événement"}),
        ],
        "text": {
            "en": ("Compares the latest 12 months (or 3 months) with the average of the earlier ones. Red: "
                   "more events than usual; blue: far fewer; grey: about the same. Purple marks places "
                   "with events now but none before. Small numbers swing easily: check the counts."),
            "fr": ("Compare les 12 (ou 3) derniers mois à la moyenne des périodes précédentes. Rouge : plus "
                   "d'événements que d'habitude ; bleu : beaucoup moins ; gris : à peu près autant. Le violet "
                   "marque les lieux qui connaissent des événements aujourd'hui mais aucun auparavant. Les "
                   "petits nombres varient facilement : vérifiez les effectifs."),
        },
    },
}


def _check(layer: str, lang: str) -> dict:
    if layer not in LEGENDS:
        raise ValueError(f"no legend for layer {layer!r}; known layers: {', '.join(LEGENDS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return LEGENDS[layer]


def legend_text(layer: str, lang: str = "en") -> str:
    """The plain-language legend of a layer ('hotspots', 'emerging', 'nexus_index', 'corridors',
    'corridor_units', 'change') in English or French."""
    return _check(layer, lang)["text"][lang]


def legend_entries(layer: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """(class value, colour, label) in display order; empty for layers coloured on a continuous scale."""
    return [(value, colour, labels[lang]) for value, colour, labels in _check(layer, lang)["classes"]]


def class_colours(layer: str) -> dict[str, str]:
    """{class value: colour} for a categorical layer."""
    return {value: colour for value, colour, _ in _check(layer, "en")["classes"]}
