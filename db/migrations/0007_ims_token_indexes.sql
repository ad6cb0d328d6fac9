CREATE INDEX `ims_tokens_user` ON `ims_tokens` (`user_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `ims_tokens_expiry` ON `ims_tokens` (`expires_at`);