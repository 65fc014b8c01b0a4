/** A failure said once, in the reader's language (the client's interceptors translated it already). */
import { ElMessage } from 'element-plus';

export function showError(error: unknown): void {
  ElMessage.error(error instanceof Error ? error.message : String(error));
}
