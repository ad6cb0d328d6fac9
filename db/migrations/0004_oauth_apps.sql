CREATE TABLE `oauth_apps` (
	`client_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`token_type` text NOT NULL,
	`redirect_uris` text DEFAULT '[]' NOT NULL,
	`refresh_rotation` integer DEFAULT true NOT NULL,
	`refresh_absolute_expiry` text DEFAULT '90d' NOT NULL,
	`refresh_inactivity_expiry` text DEFAULT '30d' NOT NULL,
	`refresh_reuse_seconds` integer DEFAULT 0 NOT NULL,
	`logo` text,
	`developer_name` text DEFAULT '' NOT NULL,
	`developer_email` text DEFAULT '' NOT NULL,
	`privacy_policy_url` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE TABLE `oauth_assertion_ids` (
	`client_id` text NOT NULL,
	`jti` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`client_id`, `jti`),
	FOREIGN KEY (`client_id`) REFERENCES `oauth_apps`(`client_id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `oauth_client_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`lookup_hash` text NOT NULL,
	`hint` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`client_id`) REFERENCES `oauth_apps`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_client_secrets_lookup` ON `oauth_client_secrets` (`lookup_hash`);--> statement-breakpoint
CREATE INDEX `oauth_client_secrets_client` ON `oauth_client_secrets` (`client_id`);--> statement-breakpoint
CREATE TABLE `oauth_public_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`source` text NOT NULL,
	`spki_pem` text NOT NULL,
	`fingerprint256` text NOT NULL,
	`thumbprint` text NOT NULL,
	`bits` integer NOT NULL,
	`certificate` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`client_id`) REFERENCES `oauth_apps`(`client_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_public_keys_client_fingerprint` ON `oauth_public_keys` (`client_id`,`fingerprint256`);--> statement-breakpoint
CREATE INDEX `oauth_public_keys_client` ON `oauth_public_keys` (`client_id`);--> statement-breakpoint
CREATE TABLE `oauth_tokens` (
	`lookup_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`client_id` text NOT NULL,
	`user_id` text NOT NULL,
	`grant_type` text NOT NULL,
	`secret_id` text,
	`public_key_id` text,
	`family_id` text,
	`scope` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`rotated_at` integer,
	FOREIGN KEY (`client_id`) REFERENCES `oauth_apps`(`client_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`secret_id`) REFERENCES `oauth_client_secrets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`public_key_id`) REFERENCES `oauth_public_keys`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `oauth_tokens_family` ON `oauth_tokens` (`family_id`) WHERE "oauth_tokens"."family_id" IS NOT NULL;