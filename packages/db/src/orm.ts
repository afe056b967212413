// One copy of drizzle-orm for the whole workspace: apps import its operators from here.
export * from 'drizzle-orm';
