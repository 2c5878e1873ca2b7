-- A tenant setting of the campaigns module (docs/CAMPAIGNS.md § Approval), kept with the other tenant
-- settings in ingress's migrations because ingress owns tenants and PATCH /admin/tenants/{id} names
-- every setting column in one statement (TenantSettings): ingress runs, and is tested, without the
-- campaigns module's migrations. The campaigns' own state is V5_1.
alter table tenants add column campaign_approval_required boolean not null default false;
