"""Interface text in English and French (many Sahel users work in French).

Every visible string goes through ``t(key, lang)``; tests/test_i18n.py checks both languages
have every key. Data values (place and actor names) are never translated.
"""
from __future__ import annotations

LANGS = ("en", "fr")

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"en": "Nexus Atlas", "fr": "Nexus Atlas"},
    "tagline": {"en": "Where terrorism and organized crime converge",
                "fr": "Là où terrorisme et criminalité organisée convergent"},
    "synthetic_banner": {"en": "Synthetic demonstration data: these events are generated, not real incidents.",
                         "fr": "Données de démonstration synthétiques : ces événements sont générés, pas réels."},
    "synthetic_watermark": {"en": "SYNTHETIC DEMONSTRATION DATA", "fr": "DONNÉES DE DÉMONSTRATION SYNTHÉTIQUES"},
    "region": {"en": "Region", "fr": "Région"},
    "crime_types": {"en": "Crime type", "fr": "Type de crime"},
    "crime_types_placeholder": {"en": "All crime types", "fr": "Tous les types"},
    "date_range": {"en": "Period", "fr": "Période"},
    "actors": {"en": "Actor or group", "fr": "Acteur ou groupe"},
    "actors_placeholder": {"en": "Type to search actors", "fr": "Rechercher un acteur"},
    "sources": {"en": "Data source", "fr": "Source des données"},
    "sources_placeholder": {"en": "All sources", "fr": "Toutes les sources"},
    "min_fatalities": {"en": "Minimum fatalities", "fr": "Nombre minimal de morts"},
    "precision": {"en": "Location precision", "fr": "Précision du lieu"},
    "precision_1": {"en": "Exact place only", "fr": "Lieu exact seulement"},
    "precision_2": {"en": "Up to district", "fr": "Jusqu'au district"},
    "precision_3": {"en": "Up to province", "fr": "Jusqu'à la province"},
    "precision_4": {"en": "Any (incl. country)", "fr": "Toutes (y compris pays)"},
    "unit": {"en": "Spatial unit", "fr": "Unité spatiale"},
    "unit_h3": {"en": "Hexagons (H3)", "fr": "Hexagones (H3)"},
    "unit_priogrid": {"en": "PRIO-GRID 0.5°", "fr": "PRIO-GRID 0,5°"},
    "resolution": {"en": "Hexagon size", "fr": "Taille des hexagones"},
    "reset": {"en": "Reset filters", "fr": "Réinitialiser"},
    "events_shown": {"en": "{n} events match", "fr": "{n} événements correspondent"},
    "fatalities_shown": {"en": "{n} fatalities", "fr": "{n} morts"},
    "events": {"en": "Events", "fr": "Événements"},
    "fatalities": {"en": "Fatalities", "fr": "Morts"},
    "map_legend_counts": {"en": "Events per hexagon", "fr": "Événements par hexagone"},
    "map_legend_counts_priogrid": {"en": "Events per 0.5° cell", "fr": "Événements par cellule de 0,5°"},
    "corridors": {"en": "Trafficking corridors", "fr": "Corridors de trafic"},
    "outlines": {"en": "Country outlines", "fr": "Frontières"},
    "sources_on_map": {"en": "Sources", "fr": "Sources"},
    "no_events": {"en": "No events match these filters.", "fr": "Aucun événement ne correspond à ces filtres."},
    "language": {"en": "Language", "fr": "Langue"},
    "error_generic": {"en": "Something went wrong while drawing this view: {msg}",
                      "fr": "Un problème est survenu lors de l'affichage : {msg}"},
    "group_terrorism": {"en": "Terrorism and armed-group violence", "fr": "Terrorisme et violence des groupes armés"},
    "group_both": {"en": "Crimes that finance armed groups", "fr": "Crimes qui financent les groupes armés"},
    "group_organized_crime": {"en": "Organized crime markets", "fr": "Marchés criminels"},
    "group_other": {"en": "Other", "fr": "Autre"},
    "time_series": {"en": "Events over time", "fr": "Événements dans le temps"},
}


def t(key: str, lang: str = "en", **values) -> str:
    entry = TEXT[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def fmt_int(n: int, lang: str = "en") -> str:
    s = f"{int(n):,}"
    return s.replace(",", "\u202f") if lang == "fr" else s

TEXT.update({
    "layers": {"en": "Layers", "fr": "Couches"},
    "layer_counts": {"en": "Hexagons / cells (what 'Map shows')", "fr": "Hexagones / cellules (la carte montre)"},
    "layer_corridors": {"en": "Trafficking corridors", "fr": "Corridors de trafic"},
    "layer_outlines": {"en": "Country outlines", "fr": "Frontières des pays"},
    "layer_points": {"en": "Event points (when zoomed in)", "fr": "Points des événements (en zoom rapproché)"},
})

TEXT.update({
    "play": {"en": "▶ Play", "fr": "▶ Lecture"},
    "pause": {"en": "❚❚ Pause", "fr": "❚❚ Pause"},
    "step_month": {"en": "Monthly", "fr": "Mensuel"},
    "step_quarter": {"en": "Quarterly", "fr": "Trimestriel"},
    "step_year": {"en": "Yearly", "fr": "Annuel"},
    "mode_cumulative": {"en": "Cumulative", "fr": "Cumulé"},
    "mode_window": {"en": "Moving window", "fr": "Fenêtre glissante"},
    "playback": {"en": "Playback", "fr": "Animation"},
    "period_all": {"en": "All dates", "fr": "Toutes les dates"},
    "drill_trend": {"en": "Trend", "fr": "Tendance"},
    "drill_breakdown": {"en": "Crime types", "fr": "Types de crime"},
    "drill_actors": {"en": "Top actors", "fr": "Principaux acteurs"},
    "drill_evidence": {"en": "What the sources say", "fr": "Ce que disent les sources"},
    "drill_sources": {"en": "Sources", "fr": "Sources"},
    "drill_events": {"en": "Events behind these numbers", "fr": "Événements derrière ces chiffres"},
    "drill_close": {"en": "Close", "fr": "Fermer"},
    "download_csv": {"en": "Download CSV", "fr": "Télécharger CSV"},
    "download_geojson": {"en": "Download GeoJSON", "fr": "Télécharger GeoJSON"},
    "table_note": {"en": "Showing {shown} of {total} events; downloads hold all of them.",
                   "fr": "{shown} événements affichés sur {total} ; les téléchargements les contiennent tous."},
    "table_synthetic": {"en": "Includes {n} synthetic demonstration events (column 'synthetic').",
                        "fr": "Comprend {n} événements de démonstration synthétiques (colonne « synthétique »)."},
    "col_event_date": {"en": "Date", "fr": "Date"},
    "col_country_iso3": {"en": "Country", "fr": "Pays"},
    "col_admin1": {"en": "Admin-1", "fr": "Admin-1"},
    "col_location": {"en": "Place", "fr": "Lieu"},
    "col_crime_type": {"en": "Crime type", "fr": "Type de crime"},
    "col_nexus_category": {"en": "Category", "fr": "Catégorie"},
    "col_actor1": {"en": "Actor 1", "fr": "Acteur 1"},
    "col_actor2": {"en": "Actor 2", "fr": "Acteur 2"},
    "col_fatalities": {"en": "Fatalities", "fr": "Morts"},
    "col_source": {"en": "Source", "fr": "Source"},
    "col_source_record_id": {"en": "Source id", "fr": "Identifiant source"},
    "col_is_synthetic": {"en": "Synthetic", "fr": "Synthétique"},
    "col_notes": {"en": "Notes", "fr": "Notes"},
    "click_hint": {"en": "Click a hexagon to see the events behind it.",
                   "fr": "Cliquez sur un hexagone pour voir les événements correspondants."},
})

TEXT.update({
    "export_heading": {"en": "Export", "fr": "Exporter"},
    "export_format": {"en": "Format", "fr": "Format"},
    "export_size": {"en": "Size", "fr": "Taille"},
    "export_size_slide": {"en": "Slide 16:9 (1920×1080)", "fr": "Diapositive 16:9 (1920×1080)"},
    "export_size_a4_portrait": {"en": "A4 portrait (300 dpi)", "fr": "A4 portrait (300 dpi)"},
    "export_size_a4_landscape": {"en": "A4 landscape (300 dpi)", "fr": "A4 paysage (300 dpi)"},
    "export_size_custom": {"en": "Custom size", "fr": "Taille personnalisée"},
    "export_width": {"en": "Width (px)", "fr": "Largeur (px)"},
    "export_height": {"en": "Height (px)", "fr": "Hauteur (px)"},
    "export_scale": {"en": "Sharpness (scale)", "fr": "Netteté (échelle)"},
    "export_title": {"en": "Title", "fr": "Titre"},
    "export_with_data": {"en": "Also download the data (CSV + GeoJSON)",
                         "fr": "Télécharger aussi les données (CSV + GeoJSON)"},
    "export_button": {"en": "Export", "fr": "Exporter"},
    "export_done": {"en": "Exported {name}.", "fr": "Exporté : {name}."},
    "export_failed": {"en": "The export failed: {msg}", "fr": "L'export a échoué : {msg}"},
    "export_all_types": {"en": "Terrorism and organized crime events",
                         "fr": "Événements de terrorisme et de criminalité organisée"},
    "export_and": {"en": "and", "fr": "et"},
    "export_filters": {"en": "Filters", "fr": "Filtres"},
    "export_no_filters": {"en": "all events in the region and period", "fr": "tous les événements de la région et de la période"},
    "export_min_fatalities": {"en": "at least {n} fatalities", "fr": "au moins {n} morts"},
    "export_unit_h3": {"en": "H3 hexagons, resolution {r}", "fr": "hexagones H3, résolution {r}"},
    "export_unit_priogrid": {"en": "PRIO-GRID 0.5° cells", "fr": "cellules PRIO-GRID de 0,5°"},
    "export_legend_hint": {"en": "darker = more events", "fr": "plus foncé = plus d'événements"},
    "export_exported": {"en": "Exported {date} from Nexus Atlas", "fr": "Exporté le {date} depuis Nexus Atlas"},
    "export_scale_note": {"en": "scale at map centre", "fr": "échelle au centre de la carte"},
    "export_north": {"en": "N", "fr": "N"},
})

TEXT.update({
    "analysis": {"en": "Map shows", "fr": "La carte montre"},
    "analysis_counts": {"en": "Event counts", "fr": "Nombre d'événements"},
    "analysis_hotspots": {"en": "Hot spots (Gi*)", "fr": "Points chauds (Gi*)"},
    "analysis_emerging": {"en": "Emerging hot spots", "fr": "Points chauds émergents"},
    "analysis_nexus": {"en": "Nexus index", "fr": "Indice de convergence"},
    "analysis_change": {"en": "Change vs baseline", "fr": "Évolution par rapport à la référence"},
    "variable": {"en": "Counted", "fr": "Compté"},
    "variable_events": {"en": "All events", "fr": "Tous les événements"},
    "variable_terrorism": {"en": "Terrorism events", "fr": "Événements terroristes"},
    "variable_organized_crime": {"en": "Organized-crime events", "fr": "Événements de criminalité organisée"},
    "variable_nexus": {"en": "Crimes by armed groups", "fr": "Crimes de groupes armés"},
    "variable_fatalities": {"en": "Fatalities", "fr": "Morts"},
    "fdr": {"en": "Correct for multiple tests (FDR)", "fr": "Corriger les tests multiples (FDR)"},
    "analysis_step": {"en": "Time step", "fr": "Pas de temps"},
    "w_t": {"en": "Weight: terrorism", "fr": "Poids : terrorisme"},
    "w_c": {"en": "Weight: organized crime", "fr": "Poids : criminalité organisée"},
    "w_r": {"en": "Weight: corridors", "fr": "Poids : corridors"},
    "half_life": {"en": "Half-life of an event (years)", "fr": "Demi-vie d'un événement (années)"},
    "legend_counts": {"en": "Each hexagon (or 0.5° cell) is coloured by how many of the filtered events fall in it, "
                                "on a logarithmic scale: each step of colour is about twice as many events. "
                                "Blank means none.",
                      "fr": "Chaque hexagone (ou cellule de 0,5°) est coloré selon le nombre d'événements filtrés "
                            "qu'il contient, sur une échelle logarithmique : chaque palier de couleur correspond "
                            "à environ deux fois plus d'événements. Vide : aucun."},
    "lod_note": {"en": "Shown at H3 resolution {shown}: resolution {asked} would draw {n} cells, more than the "
                       "{cap} a map holds; choose a region, a shorter period or fewer crime types for finer cells.",
                 "fr": "Affiché à la résolution H3 {shown} : la résolution {asked} dessinerait {n} cellules, plus que "
                       "les {cap} qu'une carte contient ; choisissez une région, une période plus courte ou moins de "
                       "types de crime pour des cellules plus fines."},
    "about": {"en": "About these numbers", "fr": "À propos de ces chiffres"},
    "about_methods": {"en": "Methods in full", "fr": "Méthodes en détail"},
    "about_sources": {"en": "All data sources", "fr": "Toutes les sources de données"},
})

TEXT.update({
    "unit_admin": {"en": "Imported admin units", "fr": "Unités administratives importées"},
    "boundary_set": {"en": "Boundary set", "fr": "Jeu de limites"},
    "map_legend_counts_admin": {"en": "Events per unit", "fr": "Événements par unité"},
    "legend_counts_admin": {"en": "Each imported administrative unit is coloured by how many of the filtered events "
                                  "fall inside it (point in polygon), on a logarithmic scale. Units with no events are "
                                  "left blank. Events located only to the country are not assigned to a province.",
                            "fr": "Chaque unité administrative importée est colorée selon le nombre d'événements "
                                  "filtrés situés à l'intérieur (point dans polygone), sur une échelle logarithmique. "
                                  "Les unités sans événement restent vides. Les événements localisés seulement au "
                                  "pays ne sont pas attribués à une province."},
})

TEXT.update({
    "layer_zones": {"en": "Named zones (Liptako-Gourma…)", "fr": "Zones nommées (Liptako-Gourma…)"},
    "layer_activities": {"en": "Response activities (UN texts)", "fr": "Activités de réponse (textes ONU)"},
})

TEXT.update({
    "analysis_corridors": {"en": "Events near corridors", "fr": "Événements près des corridors"},
    "distance_km": {"en": "Distance to a corridor (km)", "fr": "Distance à un corridor (km)"},
})

TEXT.update({
    "corridor_pick": {"en": "Read about a corridor", "fr": "Détails d'un corridor"},
})
