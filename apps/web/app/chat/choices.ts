import { trpc } from '@atrium/ui';
import { useChatLayoutData } from '../routes/chat';

/**
 * The model and style I picked last, saved on my account: a new chat starts with them on any
 * device. Saving is best effort (a failed save leaves the chat itself unchanged).
 */
export function useRememberedChoices() {
  const layout = useChatLayoutData();
  const utils = trpc.useUtils();
  const current = trpc.account.choices.useQuery(undefined, { initialData: layout.choices, staleTime: Infinity }).data;
  const saveChoices = trpc.account.saveChoices.useMutation({ onSuccess: (saved) => utils.account.choices.setData(undefined, saved) });
  return {
    modelId: current.modelId,
    presetId: current.presetId,
    save: (choice: { modelId?: string | null; presetId?: string | null }) => saveChoices.mutate(choice),
  };
}
