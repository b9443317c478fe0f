"""Classification rules: synthetic fact tables, armed-group aliases, rule-file checks, and real rows
read from ../shared/realdata at test time (the expectations live here, the data stays there)."""
from __future__ import annotations

import pytest

from atlas.errors import InputError
from atlas.taxonomy import crime_type_codes
from ingest.classify import classify_event, load_armed_groups, load_rules

import pandas as pd


@pytest.mark.parametrize("facts, crime_type, category, rule", [
    # protests and riots never become crime events, whatever their notes say
    (dict(source="acled", event_type="Protests", text="protest against kidnapping and ransom"),
     "other_violence", "other", "protest_riot"),
    (dict(source="acled", event_type="Riots/Protests", text="traders protest illegal taxes"),
     "other_violence", "other", "protest_riot"),
    # kidnapping: ransom stated, ACLED abduction sub-event, French keywords
    (dict(source="acled", event_type="Violence against civilians", sub_event_type="Attack",
          actor1_kind="non_state", text="gunmen released the trader after a ransom was paid"),
     "kidnapping_for_ransom", "organized_crime", "ransom_keyword"),
    (dict(source="acled", event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
          actor1_kind="non_state", actors="JNIM: Group for Support of Islam and Muslims | Civilians (Mali)"),
     "kidnapping_for_ransom", "both", "abduction"),
    (dict(source="acled", event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
          actor1_kind="state", actors="Military Forces of Mali (2021-)"),
     "other_violence", "other", "acled_other"),
    (dict(source="acled", event_type="Battles", actor1_kind="non_state",
          text="Enlèvement de deux commerçants près de Djibo"),
     "kidnapping_for_ransom", "organized_crime", "kidnap_keyword"),
    (dict(source="acled", event_type="Battles", text="libérés contre une rançon"),
     "kidnapping_for_ransom", "organized_crime", "ransom_keyword"),
    # GTD: structured ransom flag, kidnapping attack type, bombing
    (dict(source="gtd", attack_type="Hostage Taking (Kidnapping)", flags="hostage|ransom", actors="Unknown"),
     "kidnapping_for_ransom", "both", "gtd_ransom"),
    (dict(source="gtd", attack_type="Hostage Taking (Kidnapping)", flags="hostage"),
     "kidnapping_for_ransom", "both", "gtd_kidnapping"),
    (dict(source="gtd", attack_type="Bombing/Explosion"), "explosive_attack", "terrorism", "gtd_bombing"),
    (dict(source="gtd", attack_type="Armed Assault"), "armed_attack", "terrorism", "gtd_attack"),
    # crime markets from keywords, English and French; 'both' when a listed group is involved
    (dict(source="acled", event_type="Strategic developments", text="militants rustled 200 cattle"),
     "cattle_rustling", "organized_crime", "cattle_rustling"),
    (dict(source="acled", event_type="Battles", text="Vol de bétail à Ménaka", actors="Islamic State (Sahel)"),
     "cattle_rustling", "both", "cattle_rustling"),
    (dict(source="acled", event_type="Battles", text="a clash over grazing livestock in farmland"),
     "other_violence", "other", "acled_other"),
    (dict(source="acled", event_type="Battles", text="attack on a site d'orpaillage", actors="JNIM"),
     "non_renewable_resource_crimes", "both", "gold_mining"),
    (dict(source="acled", event_type="Strategic developments", text="police seized charcoal bags bound for Kismayo"),
     "flora_crimes", "organized_crime", "charcoal"),
    (dict(source="acled", event_type="Battles", actors="Al Shabaab", text="militants collecting zakat from herders"),
     "extortion_illicit_taxation", "both", "extortion_taxation"),
    (dict(source="acled", event_type="Battles", actors="Al Shabaab", text="militants attacked an army checkpoint"),
     "armed_attack", "terrorism", "acled_group_violence"),
    (dict(source="acled", event_type="Battles", text="Levies personnel were fired upon"),
     "other_violence", "other", "acled_other"),
    (dict(source="acled", event_type="Strategic developments", text="seizure of 2 kg of heroin at the border"),
     "heroin_trade", "organized_crime", "heroin_opiates"),
    (dict(source="acled", event_type="Strategic developments", text="arrest of cocaine traffickers in Gao"),
     "cocaine_trade", "organized_crime", "cocaine"),
    (dict(source="acled", event_type="Strategic developments", text="saisie de résine de cannabis"),
     "cannabis_trade", "organized_crime", "cannabis"),
    (dict(source="acled", event_type="Strategic developments", text="an arms trafficking network was dismantled"),
     "arms_trafficking", "organized_crime", "arms_trafficking"),
    (dict(source="acled", event_type="Violence against civilians", text="smugglers abandoned migrants in the desert"),
     "human_smuggling", "organized_crime", "migrant_smuggling"),
    (dict(source="acled", event_type="Strategic developments", text="victims of human trafficking freed"),
     "human_trafficking", "organized_crime", "human_trafficking"),
    (dict(source="acled", event_type="Strategic developments", text="ransomware hit the ministry"),
     "cyber_dependent_crimes", "organized_crime", "cyber"),
    (dict(source="acled", event_type="Battles", text="villagers from Ivory Coast attacked a village"),
     "other_violence", "other", "acled_other"),
    (dict(source="acled", event_type="Strategic developments", text="customs seized contraband fuel"),
     "excisable_goods", "organized_crime", "excisable_goods"),
    # violence without a crime market
    (dict(source="acled", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
          actor1_kind="state", actors="Military Forces of Somalia | Al Shabaab"),
     "other_violence", "other", "acled_other"),
    (dict(source="acled", event_type="Explosions/Remote violence", sub_event_type="Grenade",
          actor1_kind="non_state"), "explosive_attack", "terrorism", "acled_remote_nonstate"),
    (dict(source="ucdp", event_type="State-based conflict", actors="Government of Nigeria | IS"),
     "armed_attack", "terrorism", "ucdp_group"),
    (dict(source="ucdp", event_type="Non-state conflict", actors="Fulani | Tiv"),
     "other_violence", "other", "ucdp_other"),
    (dict(source="my_table", actors="Taliban"), "armed_attack", "terrorism", "group_any"),
    (dict(source="my_table"), "other_violence", "other", "fallback"),
])
def test_classify_event(facts, crime_type, category, rule):
    got = classify_event(**facts)
    assert (got.crime_type, got.nexus_category, got.rule_id) == (crime_type, category, rule)


@pytest.mark.parametrize("actors, group", [
    ("JNIM: Group for Support of Islam and Muslims", "jnim"),
    ("Katiba Macina", "jnim"),
    ("Islamic State (West Africa) - Greater Sahara Faction", "isgs"),
    ("Islamic State (Greater Sahara)", "isgs"),
    ("Boko Haram - Wilayat Gharb Ifriqiyyah (Barnawi Faction)", "iswap"),
    ("Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad", "boko_haram"),
    ("Government of Nigeria | IS", "iswap"),
    ("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad | Civilians", "boko_haram"),
    ("TTP: Tehreek-i-Taliban Pakistan", "ttp"),
    ("Taliban - Red Unit", "taliban"),
    ("Islamic State (Khorasan)", "iskp"),
    ("IMU: Islamic Movement of Uzbekistan", "imu"),
    ("Al Shabaab", "al_shabaab"),
    ("Islamic State (Somalia)", "is_somalia"),
    ("GMA: Mourabitounes Group of Azawad", None),     # pro-government group, not Al-Mourabitoun
    ("Civilians (Mississippi)", None),                 # 'ISS' only as a whole actor name
    ("Thistle Island | Misses", None),
    ("Military Forces of Mali (2021-)", None),
])
def test_armed_group_aliases(actors, group):
    got = load_armed_groups().match(pd.Series([actors])).iloc[0]
    assert got == group


def test_rules_reference_taxonomy_codes_and_end_with_a_fallback():
    rules = load_rules()
    assert {r.crime_type for r in rules} <= set(crime_type_codes())
    assert rules[-1].rule_id == "fallback"
    assert len({r.rule_id for r in rules}) == len(rules)


@pytest.mark.parametrize("line, column", [
    ("bad,,,,,,,,,no_such_code,auto,x", "crime_type"),
    ("bad,,,,,,,,(unclosed,other_violence,auto,x", "keywords"),
    ("bad,,,,,robot,,,,other_violence,auto,x", "actor1_kind"),
    ("bad,,,,,,,,,other_violence,sometimes,x", "nexus_category"),
])
def test_a_broken_rules_file_names_its_line_and_column(tmp_path, line, column):
    from ingest.classify import RULES_CSV
    header = RULES_CSV.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "rules.csv"
    path.write_text(f"{header}\n{line}\nfallback,,,,,,,,,other_violence,other,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(path)
    assert err.value.row == 2 and err.value.column == column


# --- real rows from ../shared/realdata: (file, record id) -> expected class ---------------------------------

REAL_FILES = {
    "mali": ("acled", "acled_hdx_central_sahel/Conflict Data for Mali.csv"),
    "niger": ("acled", "acled_hdx_central_sahel/Conflict Data for Niger.csv"),
    "bfa": ("acled", "acled_burkina_faso_sample/1900-01-01-2022-11-02-Burkina_Faso.csv"),
    "global": ("acled", "acled_global_2020_sample_target_countries/acled_target_countries.csv"),
    "pakistan": ("acled", "acled_asia_2015_pakistan/acled_pakistan_2015.csv"),
    "ucdp": ("ucdp", "ucdp_ged_nigeria_hdx/conflict_data_nga.csv"),
    "gtd": ("gtd", "gtd_1970s_subset/globalterrorismdb_0718dist_subset.csv"),
}

REAL_EXAMPLES = [
    ("mali", "MLI3062", "armed_attack", "terrorism", "acled_group_violence"),       # Al Mourabitoune (JNIM) attack
    ("mali", "MLI3063", "other_violence", "other", "protest_riot"),
    ("mali", "MLI3057", "cattle_rustling", "organized_crime", "cattle_rustling"),    # 'stole hundreds of livestock'
    ("mali", "MLI3039", "explosive_attack", "terrorism", "acled_explosive"),         # IED, Ansar Dine (JNIM)
    ("mali", "MLI2864", "kidnapping_for_ransom", "organized_crime", "ransom_keyword"),
    ("mali", "MLI3015", "extortion_illicit_taxation", "organized_crime", "extortion_taxation"),
    ("niger", "NIR955", "armed_attack", "terrorism", "acled_group_violence"),        # ISGS
    ("niger", "NIR652", "kidnapping_for_ransom", "both", "ransom_keyword"),           # ISWAP, released for ransom
    ("niger", "NIR754", "excisable_goods", "organized_crime", "excisable_goods"),     # smuggled fuel
    ("niger", "NIR705", "arms_trafficking", "organized_crime", "arms_trafficking"),
    ("bfa", "BFO4460", "kidnapping_for_ransom", "both", "abduction"),                 # Katiba Macina (JNIM)
    ("bfa", "BFO4360", "other_violence", "other", "protest_riot"),
    ("global", "SOM31065", "armed_attack", "terrorism", "acled_group_violence"),     # Al Shabaab
    ("global", "SOM31083", "extortion_illicit_taxation", "both", "extortion_taxation"),  # Al Shabaab 'collecting tax'
    ("global", "AFG45510", "explosive_attack", "terrorism", "acled_explosive"),      # Taliban landmine
    ("global", "NIR1315", "kidnapping_for_ransom", "both", "abduction"),             # ISWAP or Boko Haram
    ("global", "NIG16982", "cattle_rustling", "organized_crime", "cattle_rustling"),  # 'to rustle cows'
    ("pakistan", "1PAK", "other_violence", "other", "protest_riot"),                  # legacy 'Riots/Protests'
    ("pakistan", "2PAK", "explosive_attack", "terrorism", "acled_remote_nonstate"),   # legacy 'Remote violence'
    ("ucdp", "15960", "armed_attack", "terrorism", "ucdp_group"),                     # Boko Haram (JAS)
    ("ucdp", "193671", "armed_attack", "terrorism", "ucdp_group"),                    # 'IS'
    ("ucdp", "15875", "other_violence", "other", "ucdp_other"),                       # Fulani - Tiv
    ("gtd", "197000000002", "kidnapping_for_ransom", "both", "gtd_ransom"),            # ransom 800,000
    ("gtd", "197004050001", "kidnapping_for_ransom", "both", "gtd_kidnapping"),        # no ransom recorded
    ("gtd", "197001000002", "explosive_attack", "terrorism", "gtd_bombing"),
]


@pytest.fixture(scope="module")
def real_events(request):
    from atlas.paths import SHARED_REALDATA
    if not SHARED_REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent (licensed test data is never bundled)")
    from ingest import acled, gtd, ucdp
    readers = {"acled": acled.read, "ucdp": ucdp.read, "gtd": gtd.read}
    cache = {}

    def events(key):
        if key not in cache:
            kind, rel = REAL_FILES[key]
            frame = readers[kind](SHARED_REALDATA / rel, progress=False).events
            cache[key] = frame.set_index("source_record_id")
        return cache[key]
    return events


@pytest.mark.realdata
@pytest.mark.parametrize("key, record_id, crime_type, category, rule", REAL_EXAMPLES)
def test_real_rows_are_classified_as_expected(real_events, key, record_id, crime_type, category, rule):
    row = real_events(key).loc[record_id]
    assert (row["crime_type"], row["nexus_category"], row["classification_rule"]) == (crime_type, category, rule)
