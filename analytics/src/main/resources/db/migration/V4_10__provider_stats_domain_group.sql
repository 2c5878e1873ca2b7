-- The learner keeps a split per recipient-domain group (docs/ROUTING.md): a provider blocked at
-- Microsoft can stay the best at Gmail. Feedback events are counted in the group of their
-- recipient's domain; rows written before this migration, and the "sent" counter (counted from the
-- router's facts, which carry no recipient), are in 'other'.
alter table provider_stats add column domain_group text not null default 'other';
alter table provider_stats drop constraint provider_stats_pkey;
alter table provider_stats add primary key (provider, bucket, domain_group);
