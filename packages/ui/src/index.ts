export { Alert, type AlertProps, type AlertTone } from './alert/alert.js';
export { Badge, type BadgeProps, type BadgeTone } from './badge/badge.js';
export { Button, type ButtonProps, type ButtonSize, type ButtonVariant } from './button/button.js';
export {
  Card,
  CardContent,
  type CardContentProps,
  CardDescription,
  type CardDescriptionProps,
  CardFooter,
  type CardFooterProps,
  CardHeader,
  type CardHeaderProps,
  type CardProps,
  CardTitle,
  type CardTitleProps,
} from './card/card.js';
export {
  Dialog,
  DialogActions,
  type DialogActionsProps,
  type DialogProps,
} from './dialog/dialog.js';
export { EmptyState, type EmptyStateProps } from './empty-state/empty-state.js';
export {
  FormField,
  type FormFieldControlProps,
  type FormFieldProps,
} from './form-field/form-field.js';
export { Input, type InputProps } from './input/input.js';
export { Select, type SelectProps } from './select/select.js';
