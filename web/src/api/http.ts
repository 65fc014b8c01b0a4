/** The one client instance the area modules use; its interceptors are installed by main.ts. */
import { RequestClient } from './client';

export const api = new RequestClient();
