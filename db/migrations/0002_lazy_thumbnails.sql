ALTER TABLE "job_images" DROP CONSTRAINT "job_images_thumbnail_file_id_files_id_fk";
--> statement-breakpoint
ALTER TABLE "job_images" DROP COLUMN "thumbnail_file_id";