"""Settings are data: defaults, TOML, environment, overrides — in that order."""

import pytest

from khabar.settings import SETTINGS, load_settings


def test_defaults_and_help_are_declared():
    for setting in SETTINGS:
        assert setting.help and setting.name
    assert load_settings(env={}).db == "./khabar.db"


def test_toml_then_env_then_overrides(tmp_path):
    cfg = tmp_path / "khabar.toml"
    cfg.write_text('db = "from-toml.db"\npage_size = 7\nport = 9000\n', encoding="utf-8")
    env = {"KHABAR_PAGE_SIZE": "9"}
    s = load_settings(cfg, env=env, port=None)
    assert (s.db, s.page_size, s.port) == ("from-toml.db", 9, 9000)
    assert load_settings(cfg, env=env, db="cli.db").db == "cli.db"


def test_env_values_are_typed():
    s = load_settings(env={"KHABAR_PORT": "8080", "KHABAR_TITLE_WEIGHT": "2.5"})
    assert s.port == 8080 and s.title_weight == 2.5


def test_unknown_setting_is_an_error():
    with pytest.raises(AttributeError):
        load_settings(env={}).nonexistent  # noqa: B018
