"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { isActive, refreshAfterMoney, type JobObject } from "@/lib/queries/jobs";

/**
 * Refetches what shows money (balance, job lists, ledger, usage) once when a job this view saw
 * running has ended — or has left a list of running jobs, which drops a job the moment it ends:
 * its hold has just been settled. A job first seen already ended moved no money while on screen.
 */
export function useSettlementRefresh(jobs: ReadonlyArray<Pick<JobObject, "id" | "status">>): void {
  const queryClient = useQueryClient();
  const seen = useRef(new Map<string, boolean>());
  useEffect(() => {
    let settled = false;
    const present = new Set(jobs.map((job) => job.id));
    // A list of running jobs drops a job when it ends: gone counts as ended.
    for (const [id, wasActive] of seen.current) {
      if (wasActive && !present.has(id)) settled = true;
      if (!present.has(id)) seen.current.delete(id);
    }
    for (const job of jobs) {
      const active = isActive(job);
      if (seen.current.get(job.id) && !active) settled = true;
      seen.current.set(job.id, active);
    }
    if (settled) refreshAfterMoney(queryClient);
  }, [jobs, queryClient]);
}
