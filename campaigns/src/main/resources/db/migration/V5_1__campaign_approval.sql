-- Optional approval (docs/CAMPAIGNS.md § Approval): a campaign started by a tenant whose
-- campaign_approval_required is set (V2_7) waits in pending_approval until an operator approves it.
alter table campaigns drop constraint campaigns_state_check;
alter table campaigns add constraint campaigns_state_check check (state in ('draft', 'pending_approval',
  'scheduled', 'sending', 'paused', 'completed', 'cancelled'));
