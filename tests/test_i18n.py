from ui.i18n import LANGS, TEXT, fmt_int, t


def test_every_text_has_every_language():
    for key, entry in TEXT.items():
        for lang in LANGS:
            assert entry.get(lang), f"{key} lacks {lang}"


def test_placeholders_match_between_languages():
    import string
    for key, entry in TEXT.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGS]
        assert all(f == fields[0] for f in fields), key


def test_french_numbers_use_thin_spaces():
    assert fmt_int(12345, "fr") == "12\u202f345" and fmt_int(12345, "en") == "12,345"
    assert t("events_shown", "fr", n="3") == "3 événements correspondent"
