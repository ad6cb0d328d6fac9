CREATE TABLE `ims_assertion_ids` (
	`client_id` text NOT NULL,
	`jti` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`client_id`, `jti`),
	FOREIGN KEY (`client_id`) REFERENCES `service_credentials`(`client_id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `ims_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`client_id` text,
	`key_id` text,
	`user_id` text NOT NULL,
	`scope` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `service_credentials`(`client_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`key_id`) REFERENCES `service_credential_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `service_credential_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`spki_pem` text NOT NULL,
	`certificate_pem` text NOT NULL,
	`fingerprint256` text NOT NULL,
	`not_before` integer NOT NULL,
	`not_after` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`client_id`) REFERENCES `service_credentials`(`client_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_credential_keys_fingerprint256_unique` ON `service_credential_keys` (`fingerprint256`);--> statement-breakpoint
CREATE INDEX `service_credential_keys_client` ON `service_credential_keys` (`client_id`);--> statement-breakpoint
CREATE TABLE `service_credentials` (
	`client_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`technical_account_id` text NOT NULL,
	`metascopes` text NOT NULL,
	`secret_hash` text NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`secret_hint` text NOT NULL,
	`jwt_enabled` integer NOT NULL,
	`s2s_enabled` integer NOT NULL,
	`migrated_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`technical_account_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_credentials_technical_account_id_unique` ON `service_credentials` (`technical_account_id`);--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`private_key_ciphertext` text NOT NULL,
	`public_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
ALTER TABLE `users` ADD `kind` text DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `is_developer` integer DEFAULT false NOT NULL;