"use client";

export { RouteError as default } from "@/app/_components/route-error";
