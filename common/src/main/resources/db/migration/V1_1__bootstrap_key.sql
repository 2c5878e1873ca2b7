-- Which key ESP_BOOTSTRAP_API_KEY created: at start the current one is marked and every other
-- bootstrap key revoked, so changing the variable retires the previous key (API.md). Keys that
-- predate this column are not marked: the first start after the upgrade cannot tell which one the
-- variable made, so it revokes nothing it did not mark.
alter table api_keys add column bootstrap boolean not null default false;
