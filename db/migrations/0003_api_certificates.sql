CREATE TABLE `api_certificates` (
	`slot` text PRIMARY KEY NOT NULL,
	`file_name` text NOT NULL,
	`der` blob NOT NULL,
	`fingerprint256` text NOT NULL,
	`details` text NOT NULL,
	`uploaded_by` text,
	`uploaded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_certificates_fingerprint256_unique` ON `api_certificates` (`fingerprint256`);--> statement-breakpoint
ALTER TABLE `instance_settings` ADD `x509_enabled` integer DEFAULT false NOT NULL;