import { expect, type Page } from "@playwright/test";

export class SignUpPage {
  constructor(private readonly page: Page) {}

  async goto(callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-up");
  }

  async signUp(user: { email: string; password: string; name?: string }) {
    const form = this.page.getByTestId("sign-up-form");
    if (user.name) await form.getByLabel("Name (optional)").fill(user.name);
    await form.getByLabel("Email").fill(user.email);
    await form.getByLabel("Password").fill(user.password);
    await form.getByRole("button", { name: /Create account/ }).click();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/sign-in");
  }

  async signIn(user: { email: string; password: string }) {
    const form = this.page.getByTestId("sign-in-form");
    await form.getByLabel("Email").fill(user.email);
    await form.getByLabel("Password").fill(user.password);
    await form.getByRole("button", { name: "Sign in" }).click();
  }

  async expectError(text: RegExp) {
    await expect(this.page.getByTestId("form-error")).toHaveText(text);
  }
}
